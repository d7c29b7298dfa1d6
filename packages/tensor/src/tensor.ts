// Tensor: immutable n-dimensional data = storage + layout + dtype + backend.
// View methods (reshape, permute, expand, slice, ...) only change the layout;
// math methods call the free functions in ops/, which call the backend.
import type { Backend, Storage, View } from "./backend.js";
import { Brand } from "./brand.js";
import { settleChecks } from "./deferred-checks.js";
import { type DType, type DTypeMap, isFloat } from "./dtype.js";
import { ArgumentError, BackendError, ShapeError, fmtShape } from "./errors.js";
import { type NestedArray, formatTensor, nest } from "./format.js";
import {
  type Layout,
  contiguousLayout,
  expandLayout,
  inferShape,
  isContiguous,
  narrowLayout,
  permuteLayout,
  stepLayout,
  viewStrides,
} from "./layout.js";
import { type Shape, normalizeAxis, numel } from "./shape.js";
import { isStorageFreed, markFreed, registerTensorProbe, trackStorage } from "./scope.js";
import * as ew from "./ops/elementwise.js";
import * as red from "./ops/reduce.js";
import { matmul } from "./ops/matmul.js";
import { logSoftmax, softmax } from "./ops/softmax.js";
import { gather, indexSelect } from "./ops/indexing.js";
import { VERSION } from "./version.js";

// `Symbol.dispose` (for `using`) is in lib "ESNext.Disposable" and in Node's
// types, not in "ES2022" + "DOM": declared here, as @types/node does, so that
// tensor.d.ts type-checks under any of them. At run time, engines without it
// simply never call the method.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

const TENSOR_BRAND = new Brand("@bitnet-quantize/tensor", "Tensor", VERSION);

/** A tensor or a plain number, as the arithmetic functions accept. */
export type TensorLike = Tensor | number;

/** Options of the reductions that keep or drop the reduced axes. */
export interface ReduceOptions {
  /** Keep reduced axes as size 1 (default false). */
  readonly keepDims?: boolean;
}

/**
 * An n-dimensional array. Tensors are immutable: every op returns a new
 * tensor, and view ops share storage with their input.
 *
 * Create tensors with {@link tensor}, {@link zeros}, {@link randn} and friends,
 * not with the constructor.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.transpose().toArray(); // [[1, 3], [2, 4]]
 * x.add(1).sum().item(); // 14
 * ```
 */
export class Tensor<D extends DType = DType> {
  #storage: Storage | null;
  /** Shape, strides and offset into the storage. */
  readonly layout: Layout;
  /** The element type. */
  readonly dtype: D;

  /**
   * `instanceof Tensor` is a brand check, so tensors from a second compatible
   * copy of this package pass it (see {@link Brand}).
   *
   * @example
   * ```ts
   * zeros([1]) instanceof Tensor; // true
   * ```
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    return Brand.hasInstance(this, x);
  }

  /** Wraps a storage; prefer the creation functions. */
  constructor(storage: Storage, layout: Layout, dtype: D) {
    if (storage.dtype !== dtype) throw new BackendError(`Tensor: storage holds ${storage.dtype}, tensor says ${dtype}`);
    this.#storage = storage;
    this.layout = layout;
    this.dtype = dtype;
    trackStorage(storage);
  }

  static {
    // #storage in x, not instanceof: a compatible copy's Tensor passes the brand check but has no #storage of this class
    registerTensorProbe((x) => (#storage in x ? x.#storage : null));
  }

  /** The storage (throws once disposed). */
  get storage(): Storage {
    if (this.#storage === null || isStorageFreed(this.#storage)) throw new BackendError("tensor was disposed (by dispose() or by the tidy scope it was created in)");
    return this.#storage;
  }
  /** The backend that owns the storage. */
  get backend(): Backend {
    return this.storage.backend;
  }
  /** The shape, outermost first. */
  get shape(): Shape {
    return this.layout.shape;
  }
  /** Strides in elements. */
  get strides(): readonly number[] {
    return this.layout.strides;
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.layout.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return numel(this.layout.shape);
  }
  /** True once {@link dispose} was called on it or a view of its storage, or its `tidy` scope freed it. */
  get isDisposed(): boolean {
    return this.#storage === null || isStorageFreed(this.#storage);
  }
  /** The (storage, layout) pair backends work on. */
  get view(): View {
    return { storage: this.storage, layout: this.layout };
  }
  /** True when the elements are row-major without gaps. */
  isContiguous(): boolean {
    return isContiguous(this.layout);
  }

  // ---- reading back -------------------------------------------------------

  /**
   * The elements in row-major order, as a new typed array (synchronous; CPU
   * and other backends with `readSync`).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).transpose().dataSync(); // Float32Array [1, 3, 2, 4]
   * ```
   */
  dataSync(): DTypeMap[D] {
    const b = this.backend;
    if (b.readSync === undefined) throw new BackendError(`dataSync: backend "${b.name}" reads asynchronously; use await t.data()`);
    const flat = this.#flatStorage();
    const all = b.readSync(flat.storage) as DTypeMap[D];
    if (flat.owned) b.free(flat.storage);
    return all.length === this.size ? all : (all.slice(flat.offset, flat.offset + this.size) as DTypeMap[D]);
  }

  /**
   * The elements in row-major order, from any backend.
   *
   * @example
   * ```ts
   * await tensor([1, 2]).data(); // Float32Array [1, 2]
   * ```
   */
  async data(): Promise<DTypeMap[D]> {
    const b = this.backend;
    await settleChecks(b); // a deferred check (WebGPU) throws here, as the CPU threw at the op
    const flat = this.#flatStorage();
    const all = (await b.read(flat.storage)) as DTypeMap[D];
    if (flat.owned) b.free(flat.storage);
    return all.length === this.size ? all : (all.slice(flat.offset, flat.offset + this.size) as DTypeMap[D]);
  }

  #flatStorage(): { storage: Storage; offset: number; owned: boolean } {
    if (isContiguous(this.layout)) return { storage: this.storage, offset: this.layout.offset, owned: false };
    return { storage: this.backend.contiguous(this.view), offset: 0, owned: true };
  }

  /**
   * Nested JS arrays (a number for a 0-d tensor).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
   * ```
   */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /**
   * The single value of a one-element tensor.
   *
   * @example
   * ```ts
   * tensor([[7]]).item(); // 7
   * ```
   */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: needs exactly one element, shape is ${fmtShape(this.shape)}`);
    return this.dataSync()[0];
  }

  /**
   * PyTorch-style text.
   *
   * @example
   * ```ts
   * String(tensor([1, 2])); // "tensor([1., 2.])"
   * ```
   */
  toString(): string {
    if (this.isDisposed) return "tensor(<disposed>)";
    if (this.backend.readSync === undefined) return `tensor(<${fmtShape(this.shape)} ${this.dtype} on ${this.backend.name}>)`;
    const suffix = this.dtype === "float32" ? "" : `, dtype=${this.dtype}`;
    return formatTensor(this.dataSync(), this.shape, isFloat(this.dtype), suffix);
  }

  // ---- backends and dtypes ---------------------------------------------------

  /**
   * A copy on another backend (the same tensor when it is already there).
   *
   * @example
   * ```ts
   * const g = x.to(gpu); // g.backend === gpu
   * ```
   */
  to(backend: Backend): Tensor<D> {
    if (backend === this.backend) return this;
    if (this.backend.readSync === undefined) {
      throw new BackendError(`to: cannot move synchronously from "${this.backend.name}"; use await t.toAsync(backend)`);
    }
    const data = this.dataSync();
    return new Tensor(backend.upload(data, this.dtype), contiguousLayout(this.shape), this.dtype);
  }

  /**
   * A copy on another backend, reading back asynchronously (works from any backend).
   *
   * @example
   * ```ts
   * const c = await g.toAsync(cpu);
   * ```
   */
  async toAsync(backend: Backend): Promise<Tensor<D>> {
    if (backend === this.backend) return this;
    const data = await this.data();
    return new Tensor(backend.upload(data, this.dtype), contiguousLayout(this.shape), this.dtype);
  }

  /**
   * Converts to another dtype (float to integer truncates toward zero).
   *
   * @example
   * ```ts
   * tensor([1.7, -1.7]).cast("int32").toArray(); // [1, -1]
   * ```
   */
  cast<T extends DType>(dtype: T): Tensor<T> {
    const target: DType = dtype; // widened: T and D are unrelated type parameters
    if (target === this.dtype) return new Tensor(this.storage, this.layout, dtype);
    return new Tensor(this.backend.cast(this.view, dtype), contiguousLayout(this.shape), dtype);
  }

  /**
   * Releases the storage (GPU memory). Views share storage: dispose the last one
   * only. Using a disposed tensor throws a `BackendError`.
   *
   * @example
   * ```ts
   * using t = zeros([1024]); // disposed at the end of the block
   * ```
   */
  dispose(): void {
    if (this.#storage !== null) {
      if (!isStorageFreed(this.#storage)) {
        markFreed(this.#storage);
        this.#storage.backend.free(this.#storage);
      }
      this.#storage = null;
    }
  }

  /** Same as {@link dispose}, for `using` declarations. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- views ----------------------------------------------------------------

  #withLayout(layout: Layout): Tensor<D> {
    return new Tensor(this.storage, layout, this.dtype);
  }

  /**
   * A contiguous tensor with the same values (itself when already contiguous).
   *
   * @example
   * ```ts
   * x.transpose().contiguous().isContiguous(); // true
   * ```
   */
  contiguous(): Tensor<D> {
    if (isContiguous(this.layout)) return this;
    return new Tensor(this.backend.contiguous(this.view), contiguousLayout(this.shape), this.dtype);
  }

  /**
   * Same elements in row-major order, another shape; one entry may be `-1`.
   * A view when the strides allow it, a copy otherwise (as `torch.reshape`).
   *
   * @example
   * ```ts
   * arange(6).reshape([2, -1]).toArray(); // [[0, 1, 2], [3, 4, 5]]
   * ```
   */
  reshape(shape: Shape): Tensor<D> {
    const target = inferShape(shape, this.size, "reshape");
    const strides = viewStrides(this.layout, target);
    if (strides !== undefined) return this.#withLayout({ shape: target, strides, offset: this.layout.offset });
    return this.contiguous().reshape(target);
  }

  /**
   * Flattens dimensions `start..end` (inclusive) into one.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).flatten(1).shape; // [2, 12]
   * ```
   */
  flatten(start = 0, end = -1): Tensor<D> {
    if (this.ndim === 0) return this.reshape([1]);
    const s = normalizeAxis(start, this.ndim, "flatten");
    const e = normalizeAxis(end, this.ndim, "flatten");
    if (e < s) throw new ArgumentError(`flatten: end ${end} is before start ${start}`);
    const shape = [...this.shape.slice(0, s), numel(this.shape.slice(s, e + 1)), ...this.shape.slice(e + 1)];
    return this.reshape(shape);
  }

  /**
   * Reorders dimensions: dimension i of the result is `dims[i]` of the input.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).permute([2, 0, 1]).shape; // [4, 2, 3]
   * ```
   */
  permute(dims: readonly number[]): Tensor<D> {
    return this.#withLayout(permuteLayout(this.layout, dims));
  }

  /**
   * Swaps two dimensions (default: the last two).
   *
   * @example
   * ```ts
   * zeros([2, 3]).transpose().shape; // [3, 2]
   * ```
   */
  transpose(dim0 = -2, dim1 = -1): Tensor<D> {
    if (this.ndim < 2 && dim0 === -2 && dim1 === -1) return this;
    const a = normalizeAxis(dim0, this.ndim, "transpose");
    const b = normalizeAxis(dim1, this.ndim, "transpose");
    const dims = [...Array(this.ndim).keys()];
    dims[a] = b;
    dims[b] = a;
    return this.permute(dims);
  }

  /**
   * Broadcasts to a larger shape without copying (stride 0); `-1` keeps a size.
   *
   * @example
   * ```ts
   * tensor([1, 2]).expand([3, 2]).toArray(); // [[1, 2], [1, 2], [1, 2]]
   * ```
   */
  expand(shape: Shape): Tensor<D> {
    return this.#withLayout(expandLayout(this.layout, shape));
  }

  /**
   * Elements `start` to `start + length - 1` of one dimension (a view).
   *
   * @example
   * ```ts
   * arange(5).narrow(0, 1, 3).toArray(); // [1, 2, 3]
   * ```
   */
  narrow(axis: number, start: number, length: number): Tensor<D> {
    const a = normalizeAxis(axis, this.ndim, "narrow");
    const s = start < 0 ? start + this.shape[a] : start;
    return this.#withLayout(narrowLayout(this.layout, a, s, length));
  }

  /**
   * Python-style slice of one dimension: `[start, end)` with `step`; negative
   * start/end count from the end and are clamped, as in Python.
   *
   * @example
   * ```ts
   * arange(6).slice(0, 1, -1, 2).toArray(); // [1, 3]
   * ```
   */
  slice(axis: number, start = 0, end?: number, step = 1): Tensor<D> {
    const a = normalizeAxis(axis, this.ndim, "slice");
    for (const [name, v] of [["start", start], ["end", end ?? 0], ["step", step]] as const) {
      if (!Number.isSafeInteger(v)) throw new ArgumentError(`slice: ${name} must be an integer, got ${v}`);
    }
    const size = this.shape[a];
    const clampIdx = (i: number): number => Math.min(size, Math.max(0, i < 0 ? i + size : i));
    const s = clampIdx(start);
    const e = Math.max(s, clampIdx(end ?? size));
    return this.#withLayout(stepLayout(this.layout, a, s, e, step));
  }

  /**
   * Removes a size-1 dimension, or all of them when no axis is given.
   *
   * @example
   * ```ts
   * zeros([1, 3, 1]).squeeze().shape; // [3]
   * ```
   */
  squeeze(axis?: number): Tensor<D> {
    if (axis === undefined) {
      const keep = this.shape.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
      return this.#withLayout({
        shape: keep.map((i) => this.shape[i]),
        strides: keep.map((i) => this.strides[i]),
        offset: this.layout.offset,
      });
    }
    const a = normalizeAxis(axis, this.ndim, "squeeze");
    if (this.shape[a] !== 1) return this; // as PyTorch: squeezing a non-1 dimension is a no-op
    return this.#withLayout({
      shape: this.shape.filter((_, i) => i !== a),
      strides: this.strides.filter((_, i) => i !== a),
      offset: this.layout.offset,
    });
  }

  /**
   * Inserts a size-1 dimension at `axis` (which may be `ndim` or negative).
   *
   * @example
   * ```ts
   * zeros([3]).unsqueeze(0).shape; // [1, 3]
   * ```
   */
  unsqueeze(axis: number): Tensor<D> {
    const a = normalizeAxis(axis, this.ndim + 1, "unsqueeze");
    const shape = [...this.shape];
    const strides = [...this.strides];
    const stride = a < this.ndim ? this.strides[a] * this.shape[a] : 1;
    shape.splice(a, 0, 1);
    strides.splice(a, 0, stride);
    return this.#withLayout({ shape, strides, offset: this.layout.offset });
  }

  // ---- math (each delegates to the free function of the same name) ----------

  /** `this + other`, broadcasting. @example `tensor([1, 2]).add(1).toArray(); // [2, 3]` */
  add(other: TensorLike): Tensor {
    return ew.add(this, other);
  }
  /** `this - other`, broadcasting. @example `tensor([1, 2]).sub(1).toArray(); // [0, 1]` */
  sub(other: TensorLike): Tensor {
    return ew.sub(this, other);
  }
  /** `this * other`, broadcasting. @example `tensor([1, 2]).mul(2).toArray(); // [2, 4]` */
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  /** `this / other` (true division), broadcasting. @example `tensor([1, 2]).div(2).toArray(); // [0.5, 1]` */
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  /** `this ** other`, broadcasting. @example `tensor([2, 3]).pow(2).toArray(); // [4, 9]` */
  pow(other: TensorLike): Tensor {
    return ew.pow(this, other);
  }
  /** Elementwise maximum. @example `tensor([1, 5]).maximum(3).toArray(); // [3, 5]` */
  maximum(other: TensorLike): Tensor {
    return ew.maximum(this, other);
  }
  /** Elementwise minimum. @example `tensor([1, 5]).minimum(3).toArray(); // [1, 3]` */
  minimum(other: TensorLike): Tensor {
    return ew.minimum(this, other);
  }
  /** `this == other` as uint8. @example `tensor([1, 2]).eq(2).toArray(); // [0, 1]` */
  eq(other: TensorLike): Tensor<"uint8"> {
    return ew.eq(this, other);
  }
  /** `this != other` as uint8. @example `tensor([1, 2]).ne(2).toArray(); // [1, 0]` */
  ne(other: TensorLike): Tensor<"uint8"> {
    return ew.ne(this, other);
  }
  /** `this < other` as uint8. @example `tensor([1, 2]).lt(2).toArray(); // [1, 0]` */
  lt(other: TensorLike): Tensor<"uint8"> {
    return ew.lt(this, other);
  }
  /** `this > other` as uint8. @example `tensor([1, 2]).gt(1).toArray(); // [0, 1]` */
  gt(other: TensorLike): Tensor<"uint8"> {
    return ew.gt(this, other);
  }
  /** `this <= other` as uint8. @example `tensor([1, 2]).le(1).toArray(); // [1, 0]` */
  le(other: TensorLike): Tensor<"uint8"> {
    return ew.le(this, other);
  }
  /** `this >= other` as uint8. @example `tensor([1, 2]).ge(2).toArray(); // [0, 1]` */
  ge(other: TensorLike): Tensor<"uint8"> {
    return ew.ge(this, other);
  }
  /** `-this`. @example `tensor([1, -2]).neg().toArray(); // [-1, 2]` */
  neg(): Tensor<D> {
    return ew.neg(this);
  }
  /** `|this|`. @example `tensor([1, -2]).abs().toArray(); // [1, 2]` */
  abs(): Tensor<D> {
    return ew.abs(this);
  }
  /** Sign (-1, 0, 1). @example `tensor([3, 0, -2]).sign().toArray(); // [1, 0, -1]` */
  sign(): Tensor<D> {
    return ew.sign(this);
  }
  /** `e^this`. @example `tensor([0]).exp().toArray(); // [1]` */
  exp(): Tensor {
    return ew.exp(this);
  }
  /** Natural log. @example `tensor([1]).log().toArray(); // [0]` */
  log(): Tensor {
    return ew.log(this);
  }
  /** Square root. @example `tensor([4]).sqrt().toArray(); // [2]` */
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  /** `1 / sqrt(this)`. @example `tensor([4]).rsqrt().toArray(); // [0.5]` */
  rsqrt(): Tensor {
    return ew.rsqrt(this);
  }
  /** Sine. @example `tensor([0]).sin().toArray(); // [0]` */
  sin(): Tensor {
    return ew.sin(this);
  }
  /** Cosine. @example `tensor([0]).cos().toArray(); // [1]` */
  cos(): Tensor {
    return ew.cos(this);
  }
  /** Hyperbolic tangent. @example `tensor([0]).tanh().toArray(); // [0]` */
  tanh(): Tensor {
    return ew.tanh(this);
  }
  /** Logistic sigmoid. @example `tensor([0]).sigmoid().toArray(); // [0.5]` */
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  /** Error function (float64-exact on float64). @example `tensor([0]).erf().toArray(); // [0]` */
  erf(): Tensor {
    return ew.erf(this);
  }
  /** `max(this, 0)`. @example `tensor([-1, 2]).relu().toArray(); // [0, 2]` */
  relu(): Tensor<D> {
    return ew.relu(this);
  }
  /** Round half to even. @example `tensor([0.5, 1.5]).round().toArray(); // [0, 2]` */
  round(): Tensor<D> {
    return ew.round(this);
  }
  /** Floor. @example `tensor([1.5]).floor().toArray(); // [1]` */
  floor(): Tensor<D> {
    return ew.floor(this);
  }
  /** Ceiling. @example `tensor([1.5]).ceil().toArray(); // [2]` */
  ceil(): Tensor<D> {
    return ew.ceil(this);
  }
  /** Clamp into `[min, max]` (either may be omitted). @example `tensor([-2, 5]).clamp(-1, 1).toArray(); // [-1, 1]` */
  clamp(min?: TensorLike, max?: TensorLike): Tensor {
    return ew.clamp(this, min, max);
  }
  /** Sum over axes (all by default). @example `tensor([[1, 2], [3, 4]]).sum(0).toArray(); // [4, 6]` */
  sum(axes?: number | readonly number[], opts?: ReduceOptions): Tensor {
    return red.sum(this, axes, opts);
  }
  /** Mean over axes. @example `tensor([1, 2, 3]).mean().item(); // 2` */
  mean(axes?: number | readonly number[], opts?: ReduceOptions): Tensor {
    return red.mean(this, axes, opts);
  }
  /** Product over axes. @example `tensor([2, 3]).prod().item(); // 6` */
  prod(axes?: number | readonly number[], opts?: ReduceOptions): Tensor {
    return red.prod(this, axes, opts);
  }
  /** Maximum over axes (NaN propagates). @example `tensor([1, 3, 2]).max().item(); // 3` */
  max(axes?: number | readonly number[], opts?: ReduceOptions): Tensor<D> {
    return red.max(this, axes, opts);
  }
  /** Minimum over axes. @example `tensor([1, 3, 2]).min().item(); // 1` */
  min(axes?: number | readonly number[], opts?: ReduceOptions): Tensor<D> {
    return red.min(this, axes, opts);
  }
  /** Index of the maximum along an axis (int32). @example `tensor([1, 3, 2]).argmax().item(); // 1` */
  argmax(axis?: number, opts?: ReduceOptions): Tensor<"int32"> {
    return red.argmax(this, axis, opts);
  }
  /** Index of the minimum along an axis (int32). @example `tensor([1, 3, 0]).argmin().item(); // 2` */
  argmin(axis?: number, opts?: ReduceOptions): Tensor<"int32"> {
    return red.argmin(this, axis, opts);
  }
  /** Variance (Bessel-corrected by default). @example `tensor([1, 2, 3]).var().item(); // 1` */
  var(axes?: number | readonly number[], opts?: red.VarOptions): Tensor {
    return red.variance(this, axes, opts);
  }
  /** Matrix product with batch broadcasting. @example `eye(2).matmul(tensor([[1], [2]])).toArray(); // [[1], [2]]` */
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  /** Softmax along an axis. @example `tensor([0, 0]).softmax(-1).toArray(); // [0.5, 0.5]` */
  softmax(axis = -1): Tensor {
    return softmax(this, axis);
  }
  /** Log-softmax along an axis. @example `tensor([0, 0]).logSoftmax(-1).toArray(); // [-0.693.., -0.693..]` */
  logSoftmax(axis = -1): Tensor {
    return logSoftmax(this, axis);
  }
  /** Gathers along an axis with an index tensor. @example `tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]], undefined, "int32")).toArray(); // [[2], [3]]` */
  gather(axis: number, index: Tensor): Tensor<D> {
    return gather(this, axis, index);
  }
  /** Selects entries along an axis. @example `tensor([10, 20, 30]).indexSelect(0, tensor([2, 0], undefined, "int32")).toArray(); // [30, 10]` */
  indexSelect(axis: number, index: Tensor): Tensor<D> {
    return indexSelect(this, axis, index);
  }
}
TENSOR_BRAND.mark(Tensor);

/**
 * Wraps a storage in a tensor with a contiguous layout.
 *
 * @example
 * ```ts
 * const t = fromStorage(cpu.alloc("float32", 6), [2, 3], "float32"); // zeros 2x3
 * ```
 */
export function fromStorage<D extends DType>(storage: Storage, shape: Shape, dtype: D): Tensor<D> {
  if (storage.length !== numel(shape)) {
    throw new ShapeError(`fromStorage: storage has ${storage.length} elements, shape ${fmtShape(shape)} needs ${numel(shape)}`);
  }
  return new Tensor(storage, contiguousLayout(shape), dtype);
}

/**
 * Checks that all tensors share one backend and returns it (a `BackendError` names both otherwise).
 *
 * @example
 * ```ts
 * sameBackend("add", zeros([1]), ones([1])).name; // "cpu"
 * ```
 */
export function sameBackend(op: string, ...ts: readonly Tensor[]): Backend {
  const b = ts[0].backend;
  for (const t of ts) {
    if (t.backend !== b) throw new BackendError(`${op}: tensors are on different backends ("${b.name}" and "${t.backend.name}"); move one with .to()`);
  }
  return b;
}

