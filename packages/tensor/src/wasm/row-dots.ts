// Dots of a vector with rows of a float32 matrix, and weighted sums of its
// rows, in float64 with each sum taken in order: the two loops of attention
// over a cache of keys and values (a decode step's scores q·k_t and its
// output Σ_t p_t·v_t). Written as plain JavaScript loops (the reference, and
// what runs where the kernels do not apply) and as WebAssembly SIMD kernels
// (row-dots-kernel.ts) over rows that live in the kernels' shared memory
// (`residentFloat32`), which keep every sum's order, so both give the same
// bits. Not the softmax between them.
//
// Measured on this machine with `npm run bench -- wasm` (Node 20, one
// thread, side by side in one run; bitnet's cachedAttention for one decode
// step of one layer, 16 heads of 96, fp16-rounded cache, medians): 40 cached
// positions 0.110 ms over a plain cache (the JavaScript loops) against
// 0.049 ms over a resident one (these kernels), 2.24x; 128 positions 0.339
// against 0.135 ms, 2.51x (with one operand block kept between calls).
import { ArgumentError } from "../errors.js";
import { newResident, residentOffset } from "./resident.js";
import { scratchKernels } from "./scratch-block.js";

/**
 * A zeroed float32 array of `length` values in this realm's shared wasm
 * memory, where {@link rowDotsF64} and {@link weightedRowSumF64} read it in
 * place (its block is released when the array is garbage collected); a plain
 * `Float32Array` where the memory is not shared or cannot grow (the same
 * functions then run their JavaScript loops).
 *
 * @example
 * ```ts
 * const keys = residentFloat32(256 * 1536); // a layer's key cache
 * ```
 */
export function residentFloat32(length: number): Float32Array {
  if (!Number.isInteger(length) || length < 0) throw new ArgumentError(`residentFloat32: length must be a non-negative integer, got ${length}`);
  // zeroed without touching fresh pages: a long context's cache is committed only as it fills
  return (length > 0 ? newResident(Float32Array, length) : undefined) ?? new Float32Array(length);
}

function checkRows(fn: string, rows: Float32Array, offset: number, stride: number, D: number, T: number): void {
  const ok = [offset, stride, D, T].every((v) => Number.isInteger(v) && v >= 0);
  if (!ok) throw new ArgumentError(`${fn}: offset, stride, D and T must be non-negative integers, got ${offset}, ${stride}, ${D}, ${T}`);
  if (T > 0 && D > 0 && offset + (T - 1) * stride + D > rows.length) throw new ArgumentError(`${fn}: ${T} rows of ${D} at offset ${offset}, stride ${stride} do not fit in ${rows.length} values`);
}

/**
 * `out[t] = Σ_d q[qOffset + d] · rows[offset + t·stride + d]` for `t < T`,
 * `d < D`, each sum in float64 in d order from +0 (what a JavaScript loop
 * `s += q[d] * row[d]` gives). Runs the WebAssembly kernel when `rows` is
 * {@link residentFloat32} memory and `D` is a multiple of 4 (the last `T % 4`
 * rows in JavaScript), else {@link rowDotsF64Reference}; the bits are the same.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * rowDotsF64(new Float32Array([1, 2]), 0, new Float32Array([3, 4, 5, 6]), 0, 2, 2, 2, out); // out = [11, 17]
 * ```
 */
export function rowDotsF64(q: Float32Array, qOffset: number, rows: Float32Array, offset: number, stride: number, D: number, T: number, out: Float64Array): void {
  checkRows("rowDotsF64", rows, offset, stride, D, T);
  if (qOffset < 0 || qOffset + D > q.length || out.length < T) throw new ArgumentError(`rowDotsF64: q needs ${D} values at ${qOffset} (has ${q.length}), out ${T} (has ${out.length})`);
  const base = residentOffset(rows);
  const T4 = T - (T % 4);
  const w = scratchKernels(base !== undefined && D % 4 === 0 && T4 > 0, D * 8 + T4 * 8);
  if (w === undefined || base === undefined) {
    rowDotsJs(q, qOffset, rows, offset, stride, D, T, out);
    return;
  }
  const { kernels, at: scratch } = w;
  const qv = new Float64Array(kernels.arena.memory.buffer, scratch, D);
  for (let d = 0; d < D; d++) qv[d] = q[qOffset + d];
  kernels.rowDots(scratch, base + offset * 4, stride * 4, D, T4, scratch + D * 8);
  out.set(new Float64Array(kernels.arena.memory.buffer, scratch + D * 8, T4));
  for (let t = T4; t < T; t++) out[t] = dot(q, qOffset, rows, offset + t * stride, D);
}

/** {@link rowDotsF64Reference}'s sums, four rows at a time (four independent chains: what V8 runs fastest). */
function rowDotsJs(q: Float32Array, qo: number, rows: Float32Array, offset: number, stride: number, D: number, T: number, out: Float64Array): void {
  let t = 0;
  for (; t + 4 <= T; t += 4) {
    const k0 = offset + t * stride;
    const k1 = k0 + stride;
    const k2 = k1 + stride;
    const k3 = k2 + stride;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let d = 0; d < D; d++) {
      const x = q[qo + d];
      a0 += x * rows[k0 + d];
      a1 += x * rows[k1 + d];
      a2 += x * rows[k2 + d];
      a3 += x * rows[k3 + d];
    }
    out[t] = a0;
    out[t + 1] = a1;
    out[t + 2] = a2;
    out[t + 3] = a3;
  }
  for (; t < T; t++) out[t] = dot(q, qo, rows, offset + t * stride, D);
}

function dot(q: Float32Array, qo: number, rows: Float32Array, ro: number, D: number): number {
  let s = 0;
  for (let d = 0; d < D; d++) s += q[qo + d] * rows[ro + d];
  return s;
}

/**
 * The reference twin of {@link rowDotsF64}: one plain loop per row.
 *
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * rowDotsF64Reference(new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, 2, 2, 1, out); // out = [11]
 * ```
 */
export function rowDotsF64Reference(q: Float32Array, qOffset: number, rows: Float32Array, offset: number, stride: number, D: number, T: number, out: Float64Array): void {
  for (let t = 0; t < T; t++) out[t] = dot(q, qOffset, rows, offset + t * stride, D);
}

/**
 * `out[outOffset + d] = f32(Σ_t p[t] · rows[offset + t·stride + d])` for
 * `d < D`, `t < T`, each sum in float64 in t order from +0. Runs the
 * WebAssembly kernel when `rows` is {@link residentFloat32} memory (the
 * columns past the last multiple of 8 in JavaScript), else
 * {@link weightedRowSumF64Reference}; the bits are the same.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * weightedRowSumF64(new Float64Array([0.5, 0.5]), new Float32Array([1, 2, 3, 4]), 0, 2, 2, 2, out, 0); // out = [2, 3]
 * ```
 */
export function weightedRowSumF64(p: Float64Array, rows: Float32Array, offset: number, stride: number, D: number, T: number, out: Float32Array, outOffset: number): void {
  checkRows("weightedRowSumF64", rows, offset, stride, D, T);
  if (p.length < T || outOffset < 0 || outOffset + D > out.length) throw new ArgumentError(`weightedRowSumF64: p needs ${T} values (has ${p.length}), out ${D} at ${outOffset} (has ${out.length})`);
  const base = residentOffset(rows);
  const D8 = D - (D % 8);
  const w = scratchKernels(base !== undefined && D8 > 0 && T > 0, T * 8 + D8 * 4);
  let done = 0;
  if (w !== undefined && base !== undefined) {
    const { kernels, at: scratch } = w;
    new Float64Array(kernels.arena.memory.buffer, scratch, T).set(p.subarray(0, T));
    kernels.weightedRowSum(scratch, base + offset * 4, stride * 4, D8, T, scratch + T * 8);
    out.set(new Float32Array(kernels.arena.memory.buffer, scratch + T * 8, D8), outOffset);
    done = D8;
  }
  weightedSumJs(p, rows, offset, stride, D, T, out, outOffset, done);
}

/** {@link weightedRowSumF64Reference}'s sums for columns `from..D`, four at a time (four independent chains, walking each row in memory order). */
function weightedSumJs(p: Float64Array, rows: Float32Array, offset: number, stride: number, D: number, T: number, out: Float32Array, outOffset: number, from: number): void {
  let d = from;
  for (; d + 4 <= D; d += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let t = 0, o = offset + d; t < T; t++, o += stride) {
      const pt = p[t];
      s0 += pt * rows[o];
      s1 += pt * rows[o + 1];
      s2 += pt * rows[o + 2];
      s3 += pt * rows[o + 3];
    }
    out[outOffset + d] = s0;
    out[outOffset + d + 1] = s1;
    out[outOffset + d + 2] = s2;
    out[outOffset + d + 3] = s3;
  }
  for (; d < D; d++) out[outOffset + d] = column(p, rows, offset + d, stride, T);
}

function column(p: Float64Array, rows: Float32Array, at: number, stride: number, T: number): number {
  let s = 0;
  for (let t = 0, o = at; t < T; t++, o += stride) s += p[t] * rows[o];
  return s;
}

/**
 * The reference twin of {@link weightedRowSumF64}: one plain loop per column.
 *
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * weightedRowSumF64Reference(new Float64Array([2]), new Float32Array([3]), 0, 1, 1, 1, out, 0); // out = [6]
 * ```
 */
export function weightedRowSumF64Reference(p: Float64Array, rows: Float32Array, offset: number, stride: number, D: number, T: number, out: Float32Array, outOffset: number): void {
  for (let d = 0; d < D; d++) out[outOffset + d] = column(p, rows, offset + d, stride, T);
}
