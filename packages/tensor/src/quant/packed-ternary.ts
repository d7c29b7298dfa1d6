// Tensor-level packed ternary weights and the ternary matmul op. The packed
// words are a uint32 tensor on any backend; the op calls the backend's
// `ternaryMatmul` and falls back to the reference kernel where it is absent.
import { ArgumentError, DTypeError, ShapeError, fmtShape } from "../errors.js";
import { numel } from "../shape.js";
import type { Backend } from "../backend.js";
import { type Tensor, fromStorage, sameBackend } from "../tensor.js";
import { full, tensor } from "../creation.js";
import { clamp, eq, maximum, mul } from "../ops/elementwise.js";
import { deferCheck } from "../deferred-checks.js";
import { concat } from "../ops/join.js";
import { sum } from "../ops/reduce.js";
import { CODES_PER_WORD, packTernaryArray, unpackTernaryArray, wordsPerRow } from "./packed-format.js";
import { ternaryMatmulReference } from "./ternary-reference.js";
import { packedWordsTensor } from "./packed-words.js";

/**
 * Ternary values packed 16 per uint32 word (see packed-format.ts): `words`
 * has shape `[rows, ceil(cols/16)]`, where `rows` is the product of all but the
 * last dimension of `shape` and `cols` the last.
 *
 * @example
 * ```ts
 * const p = packTernary(tensor(new Int8Array([1, 0, -1, 1]), [2, 2]));
 * p.words.shape; // [2, 1]
 * p.shape; // [2, 2]
 * ```
 */
export interface PackedTernary {
  readonly words: Tensor<"uint32">;
  readonly shape: readonly number[];
}

/**
 * Packs a tensor of -1/0/1 values (any integer or float dtype, any shape with
 * at least one dimension) into 2-bit codes. Any other value throws an
 * ArgumentError: at the call, naming its index, on backends that read
 * synchronously (CPU); at the next read of a tensor on the backend on the
 * others (WebGPU, where the packing and the check run as tensor ops).
 *
 * @example
 * ```ts
 * unpackTernary(packTernary(tensor([[1, 0, -1]]))).toArray(); // [[1, 0, -1]]
 * ```
 */
export function packTernary(t: Tensor): PackedTernary {
  if (t.ndim === 0) throw new ShapeError("packTernary: needs at least one dimension, got a scalar");
  const cols = t.shape[t.ndim - 1];
  const rows = numel(t.shape) / Math.max(cols, 1);
  if (t.backend.readSync === undefined && cols > 0) return { words: packTernaryOps(t, rows, cols), shape: [...t.shape] };
  const words = packTernaryArray(t.dataSync(), cols === 0 ? 0 : rows, cols);
  return { words: packedWordsTensor(words, cols === 0 ? 0 : rows, wordsPerRow(cols), t.backend), shape: [...t.shape] };
}

/**
 * The packing in tensor ops: codes c = t + 1 padded with 1 to whole words,
 * word = Σ_j c_j · 4^j over each run of 16 (uint32 arithmetic; the sum is
 * below 2^32).
 */
function packTernaryOps(t: Tensor, rows: number, cols: number): Tensor<"uint32"> {
  const wpr = wordsPerRow(cols);
  const backend = t.backend;
  const values = t.reshape([rows, cols]).cast("float32");
  // the CPU packer throws at a value other than -1, 0, 1; here the check is
  // deferred to the next read (same ArgumentError), and the clamp keeps the words valid
  const valid = maximum(maximum(eq(values, -1), eq(values, 0)), eq(values, 1));
  deferCheck(eq(valid, 0), () => new ArgumentError("packTernary: a value is not -1, 0 or 1"));
  const codes = clamp(values, -1, 1).add(1).cast("uint32");
  const pad = wpr * CODES_PER_WORD - cols;
  const padded = pad === 0 ? codes : concat([codes, full([rows, pad], 1, "uint32", backend)], 1);
  const weights = new Uint32Array(CODES_PER_WORD).map((_, j) => 4 ** j);
  const place = tensor(weights, [CODES_PER_WORD], "uint32", backend);
  return sum(mul(padded.reshape([rows, wpr, CODES_PER_WORD]), place), 2).cast("uint32");
}

/**
 * Unpacks to an int8 tensor of the original shape (exact inverse of {@link packTernary}).
 *
 * @example
 * ```ts
 * unpackTernary(packTernary(tensor([1, -1]))).toArray(); // [1, -1]
 * ```
 */
export function unpackTernary(p: PackedTernary): Tensor<"int8"> {
  const cols = p.shape[p.shape.length - 1];
  const rows = cols === 0 ? 0 : numel(p.shape) / cols;
  return tensor(unpackTernaryArray(p.words.dataSync(), rows, cols), p.shape, "int8", p.words.backend);
}

/**
 * `y[..., n] = Σ_g wScale[n,g]·(Σ_{k∈g} t[n,k]·x[..., k]) / xScale[...]`: the
 * BitLinear matmul on packed weights `[N, K]`. `x` is int8 codes (integer path:
 * exact int32 sums) or float32 (then pass xScale = 1). `xScale` has x's shape
 * without the last dimension (or with it as 1), or `[..., G]` for one divisor
 * per row and scale group (llama.cpp's Q8_K blocks: then each group's sum is
 * divided by its own scale); `wScale` is `[N, G]` with
 * `G = ceil(K / groupSize)` (use `[N, 1]`, groupSize K, for per-row or per-tensor scales).
 *
 * @example
 * ```ts
 * const w = packTernary(tensor([[1, -1, 0]]));
 * ternaryMatmul(tensor(new Int8Array([2, 3, 4]), [1, 3]), w, tensor([1]), tensor([[0.5]]), 3).toArray(); // [[-0.5]]
 * ```
 */
export function ternaryMatmul(x: Tensor, w: PackedTernary, xScale: Tensor, wScale: Tensor, groupSize: number): Tensor<"float32"> {
  const a = checkTernaryOperands("ternaryMatmul", x, [w], xScale, [wScale], groupSize);
  const [N] = a.ns;
  const args = { x: a.x.view, xScale: a.xScale.view, w: w.words.view, wScale: a.wScales[0].view, k: a.K, groupSize };
  if (a.backend.ternaryMatmul !== undefined) return fromStorage(a.backend.ternaryMatmul(args), [...a.lead, N], "float32");
  // reference fallback on host data (synchronous backends only)
  const out = new Float32Array(a.M * N);
  ternaryMatmulReference(a.x.dataSync(), a.xScale.dataSync(), w.words.dataSync(), a.wScales[0].dataSync(), a.M, N, a.K, groupSize, out);
  return tensor(out, [...a.lead, N], "float32", a.backend);
}

/**
 * {@link ternaryMatmul} of one activation with several packed weights of the
 * same K (q, k and v; gate and up): one result per weight, each equal to
 * that weight's own `ternaryMatmul` bit for bit. A backend with
 * `ternaryMatmulMany` prepares the activation once and runs the products
 * as one job (the CPU backend's kernel threads meet once for all of them);
 * others run one `ternaryMatmul` per weight.
 *
 * @example
 * ```ts
 * const [a, b] = [packTernary(tensor([[1, -1, 0]])), packTernary(tensor([[0, 1, 1], [1, 1, 1]]))];
 * const [ya, yb] = ternaryMatmulMany(tensor(new Int8Array([2, 3, 4]), [1, 3]), [a, b], tensor([1]), [tensor([[0.5]]), tensor([[1], [2]])], 3);
 * ya.toArray(); // [[-0.5]]
 * yb.toArray(); // [[7, 18]]
 * ```
 */
export function ternaryMatmulMany(x: Tensor, ws: readonly PackedTernary[], xScale: Tensor, wScales: readonly Tensor[], groupSize: number): Tensor<"float32">[] {
  if (ws.length !== wScales.length) throw new ArgumentError(`ternaryMatmulMany: ${ws.length} weights but ${wScales.length} scale tensors`);
  if (ws.length === 0) return [];
  const a = checkTernaryOperands("ternaryMatmulMany", x, ws, xScale, wScales, groupSize);
  const b = a.backend;
  if (b.ternaryMatmulMany === undefined || ws.length === 1) return ws.map((w, i) => ternaryMatmul(x, w, xScale, wScales[i], groupSize));
  const outs = b.ternaryMatmulMany({ x: a.x.view, xScale: a.xScale.view, k: a.K, groupSize, weights: ws.map((w, i) => ({ w: w.words.view, wScale: a.wScales[i].view })) });
  return outs.map((o, i) => fromStorage(o, [...a.lead, a.ns[i]], "float32"));
}

/**
 * {@link ternaryMatmulMany} into caller arrays: product i is written to
 * `outs[i]` (`M·N_i` float32 values, row-major `[M, N_i]`, M the rows of x),
 * bit-identical to `ternaryMatmulMany`'s result i. On a host backend with
 * `ternaryMatmulManyInto` (CPU) nothing else is allocated, so a decode loop
 * can reuse its buffers; elsewhere the results are read back with
 * `dataSync` (a backend without synchronous reads throws).
 *
 * @example
 * ```ts
 * const w = packTernary(tensor([[1, -1, 0]]));
 * const out = new Float32Array(1);
 * ternaryMatmulManyInto(tensor(new Int8Array([2, 3, 4]), [1, 3]), [w], tensor([1]), [tensor([[0.5]])], 3, [out]);
 * out; // Float32Array [-0.5]
 * ```
 */
export function ternaryMatmulManyInto(x: Tensor, ws: readonly PackedTernary[], xScale: Tensor, wScales: readonly Tensor[], groupSize: number, outs: readonly Float32Array[]): void {
  const fn = "ternaryMatmulManyInto";
  if (ws.length !== wScales.length || ws.length !== outs.length) throw new ArgumentError(`${fn}: ${ws.length} weights, ${wScales.length} scale tensors and ${outs.length} outputs must agree`);
  if (ws.length === 0) return;
  const a = checkTernaryOperands(fn, x, ws, xScale, wScales, groupSize);
  a.ns.forEach((N, i) => {
    if (!(outs[i] instanceof Float32Array) || outs[i].length !== a.M * N) throw new ArgumentError(`${fn}: output ${i} must be a Float32Array of ${a.M} x ${N} values, got ${describeOut(outs[i])}`);
  });
  const b = a.backend;
  if (b.ternaryMatmulManyInto !== undefined) {
    b.ternaryMatmulManyInto({ x: a.x.view, xScale: a.xScale.view, k: a.K, groupSize, weights: ws.map((w, i) => ({ w: w.words.view, wScale: a.wScales[i].view })) }, outs);
    return;
  }
  ternaryMatmulMany(x, ws, xScale, wScales, groupSize).forEach((y, i) => outs[i].set(y.dataSync()));
}

function describeOut(o: unknown): string {
  return o instanceof Float32Array ? `${o.length} values` : o === null || typeof o !== "object" ? String(o) : (o.constructor?.name ?? "an object");
}

/** Checked operands of a ternary product: x as [M, K], the divisors and scales as float32 of [M] or [M, G] and [N, G]. */
interface TernaryOperands {
  readonly backend: Backend;
  readonly x: Tensor;
  readonly xScale: Tensor;
  readonly wScales: readonly Tensor[];
  readonly lead: readonly number[];
  readonly M: number;
  readonly K: number;
  readonly ns: readonly number[];
}

function checkTernaryOperands(fn: string, x: Tensor, ws: readonly PackedTernary[], xScale: Tensor, wScales: readonly Tensor[], groupSize: number): TernaryOperands {
  for (const w of ws) if (w.shape.length !== 2) throw new ShapeError(`${fn}: packed weights must be 2-D [N, K], got ${fmtShape(w.shape)}`);
  const K = ws[0].shape[1];
  for (const w of ws) if (w.shape[1] !== K) throw new ShapeError(`${fn}: every weight must have K = ${K} columns, got ${fmtShape(w.shape)}`);
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== K) throw new ShapeError(`${fn}: x ${fmtShape(x.shape)} does not end in K = ${K}`);
  if (x.dtype !== "int8" && x.dtype !== "float32") throw new DTypeError(`${fn}: x must be int8 or float32, got ${x.dtype}`);
  if (!Number.isInteger(groupSize) || groupSize <= 0) throw new ArgumentError(`${fn}: groupSize must be a positive integer, got ${groupSize}`);
  const G = Math.ceil(K / groupSize);
  const lead = x.shape.slice(0, -1);
  const M = numel(lead);
  const ns = ws.map((w) => w.shape[0]);
  ws.forEach((w, i) => {
    if (wScales[i].size !== ns[i] * G) throw new ShapeError(`${fn}: wScale ${fmtShape(wScales[i].shape)} must hold [${ns[i]}, ${G}]`);
  });
  const grouped = G > 1 && xScale.size === M * G;
  if (xScale.size !== M && !grouped) {
    throw new ShapeError(`${fn}: xScale ${fmtShape(xScale.shape)} must hold one value per row of x (${M}) or one per row and scale group (${M} x ${G})`);
  }
  const backend = sameBackend(fn, x, ...ws.map((w) => w.words), xScale, ...wScales);
  const f32 = (t: Tensor): Tensor => t.cast("float32");
  return {
    backend,
    x: x.reshape([M, K]),
    xScale: f32(xScale).reshape(grouped ? [M, G] : [M]),
    wScales: ws.map((w, i) => f32(wScales[i]).reshape([ns[i], G])),
    lead,
    M,
    K,
    ns,
  };
}
