// The Backend interface: the small set of primitives every backend implements
// on (storage, layout) pairs. Views, broadcasting and dtype promotion happen
// above it, in Tensor; a backend sees equal shapes and the dtypes it must use.
import type { DType, DTypeMap } from "./dtype.js";
import type { Layout } from "./layout.js";

/**
 * A backend's handle on a block of memory holding `length` elements of
 * `dtype`. Opaque outside its backend.
 *
 * @example
 * ```ts
 * const s: Storage = cpu.upload(new Float32Array([1, 2]), "float32"); // s.length === 2
 * ```
 */
export interface Storage {
  readonly backend: Backend;
  readonly dtype: DType;
  readonly length: number;
}

/**
 * A storage seen through a layout: the operand of every primitive.
 *
 * @example
 * ```ts
 * const v: View = { storage: s, layout: contiguousLayout([2]) };
 * ```
 */
export interface View {
  readonly storage: Storage;
  readonly layout: Layout;
}

/**
 * Elementwise functions of one operand. `round` rounds half to even (as
 * PyTorch); `sign` maps 0 to 0; `relu` maps NaN to NaN. Each op's meaning
 * (dtype rule and scalar reference) is its entry in `UNARY_OPS`.
 *
 * @example
 * ```ts
 * const op: UnaryOp = "exp";
 * ```
 */
export type UnaryOp =
  | "neg"
  | "abs"
  | "sign"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "sin"
  | "cos"
  | "tanh"
  | "sigmoid"
  | "erf"
  | "relu"
  | "round"
  | "floor"
  | "ceil";

/**
 * Elementwise functions of two operands. Comparisons write 1 or 0. Each op's
 * meaning (dtype rule and scalar reference) is its entry in `BINARY_OPS`.
 *
 * @example
 * ```ts
 * const op: BinaryOp = "maximum";
 * ```
 */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "lt"
  | "gt"
  | "le"
  | "ge";

/**
 * Reductions over axes. `argmax`/`argmin` take exactly one axis and write
 * int32 indices of the first extreme value; `max`/`min` propagate NaN.
 *
 * @example
 * ```ts
 * const op: ReduceOp = "sum";
 * ```
 */
export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/**
 * Operands of the packed ternary matmul (`y[M,N] = x[M,K] · Wᵀ`, W stored
 * `[N,K]` as ternary codes). See `@bitnet-quantize/tensor/quant` for the packed
 * format: 16 two-bit codes per uint32 word, code = t + 1, LSB first, each row
 * padded to whole words with code 1 (zero).
 *
 * Result `y[m,n] = Σ_g wScale[n,g] · (Σ_{k in group g} t[n,k] · x[m,k]) / xScale[m]`
 * (float32), where group g covers columns `[g·groupSize, (g+1)·groupSize)`.
 * With grouped activation scales (`xScale` of `[M, G]`, G > 1: llama.cpp's Q8_K
 * blocks) each group is divided by its own scale:
 * `y[m,n] = Σ_g wScale[n,g] · (Σ_{k in g} t[n,k] · x[m,k]) / xScale[m,g]`.
 * Backends without grouped scales reject them with a ShapeError.
 *
 * @example
 * ```ts
 * const args: TernaryMatmulArgs = { x, xScale, w, wScale, k: 256, groupSize: 256 };
 * ```
 */
export interface TernaryMatmulArgs {
  /** Activations `[M, K]`: int8 (integer path) or float32 (float path). */
  readonly x: View;
  /** Per-row divisor `[M]` float32 (AbsMax `Qp / absmax`; all ones on the float path), or `[M, G]` per row and group. */
  readonly xScale: View;
  /** Packed codes `[N, ceil(K/16)]` uint32. */
  readonly w: View;
  /** Weight scales `[N, G]` float32, `G = ceil(K / groupSize)`. */
  readonly wScale: View;
  /** The logical inner dimension K. */
  readonly k: number;
  /** Columns per weight-scale group (K for per-row or per-tensor scales). */
  readonly groupSize: number;
}

/**
 * Operands of several packed ternary products of one activation (q, k and
 * v; gate and up): `x`, `xScale`, `k` and `groupSize` as in
 * {@link TernaryMatmulArgs}, and one `{ w, wScale }` per product, all of
 * the same K and scale groups. Result i is what `ternaryMatmul` gives for
 * `weights[i]`, bit for bit.
 *
 * @example
 * ```ts
 * const w = packTernary(tensor([[1, -1, 0]]));
 * const args: TernaryMatmulManyArgs = { x: tensor(new Int8Array([2, 3, 4]), [1, 3]).view, xScale: tensor([1]).view, k: 3, groupSize: 3, weights: [{ w: w.words.view, wScale: tensor([[0.5]]).view }] };
 * getBackend().ternaryMatmulMany?.(args).length; // 1
 * ```
 */
export interface TernaryMatmulManyArgs {
  readonly x: View;
  readonly xScale: View;
  readonly k: number;
  readonly groupSize: number;
  readonly weights: readonly { readonly w: View; readonly wScale: View }[];
}

/**
 * What a backend implements. Every primitive returns a new contiguous storage
 * whose element count is the product of the output shape. Inputs are read
 * through their layouts (any strides, including 0).
 *
 * Required primitives are required by the type: a backend missing one does
 * not compile. `ternaryMatmul` is optional; callers fall back to the reference
 * kernel when it is absent. `ternaryMatmulMany` is optional too; callers
 * fall back to one `ternaryMatmul` per weight.
 *
 * @example
 * ```ts
 * const b: Backend = cpuBackend();
 * const s = b.upload(new Float32Array([1, 2, 3]), "float32");
 * b.readSync?.(s); // Float32Array [1, 2, 3]
 * ```
 */
export interface Backend {
  /** A short name for messages: `"cpu"`, `"webgpu"`. */
  readonly name: string;
  /** Copies host data into a new storage of the given dtype. */
  upload<D extends DType>(data: DTypeMap[D], dtype: D): Storage;
  /** A new zero-filled storage. */
  alloc(dtype: DType, length: number): Storage;
  /** Reads a whole storage back to the host. */
  read(storage: Storage): Promise<DTypeMap[DType]>;
  /** Synchronous read, where the backend can do it (the CPU backend can). */
  readSync?(storage: Storage): DTypeMap[DType];
  /** Releases a storage (a no-op where garbage collection suffices). */
  free(storage: Storage): void;
  /** `out[i] = op(x[i])`, computed in x's dtype. */
  unary(op: UnaryOp, x: View): Storage;
  /** `out[i] = op(a[i], b[i])`; a and b have the same shape and dtype; `outDtype` is uint8 for comparisons. */
  binary(op: BinaryOp, a: View, b: View, outDtype: DType): Storage;
  /** Reduces `axes` (sorted, unique) away; the output shape is x's shape without them. */
  reduce(op: ReduceOp, x: View, axes: readonly number[]): Storage;
  /** `out[i] = cond[i] ? a[i] : b[i]`; cond is uint8; a and b share a dtype. */
  where(cond: View, a: View, b: View): Storage;
  /** Converts to another dtype (float to integer truncates toward zero, then wraps as typed arrays do). */
  cast(x: View, dtype: DType): Storage;
  /** A contiguous copy of a view. */
  contiguous(x: View): Storage;
  /** Batched matmul: a `[...B, M, K]`, b `[...B, K, N]` (equal batch dims, float dtype) gives `[...B, M, N]`. */
  matmul(a: View, b: View): Storage;
  /** Concatenates views along `axis`; all shapes agree except on that axis. */
  concat(inputs: readonly View[], axis: number): Storage;
  /** `out[..., i, ...] = x[..., index[..., i, ...], ...]` along `axis`; out has index's shape (int32 indices, in range). */
  gather(x: View, axis: number, index: View): Storage;
  /** A zero tensor of `shape` with `src` added at the positions `index` names along `axis` (the adjoint of gather). */
  scatterAdd(shape: readonly number[], axis: number, index: View, src: View): Storage;
  /** Optional packed ternary matmul; see {@link TernaryMatmulArgs}. */
  ternaryMatmul?(args: TernaryMatmulArgs): Storage;
  /** Optional: several packed ternary products of one activation, one storage per weight; see {@link TernaryMatmulManyArgs}. */
  ternaryMatmulMany?(args: TernaryMatmulManyArgs): Storage[];
  /**
   * Optional, for backends that compute on the host (CPU): `ternaryMatmulMany`
   * with product i written straight into `outs[i]` (`[M, N_i]` float32), no
   * storage made or copied (an inference loop reuses its buffers).
   */
  ternaryMatmulManyInto?(args: TernaryMatmulManyArgs, outs: readonly Float32Array[]): void;
}
