// The two loops of attention for all heads of one query position over a
// cache of float32 rows (positions), in float64 with each sum taken in
// order: the scores q_h·k_t of every head h (d order), and the outputs
// Σ_t p_h[t]·v_t (t order). Written as plain loops (the reference twins:
// one head at a time, rowDotsF64Reference and weightedRowSumF64Reference)
// and as WebAssembly SIMD kernels (attention-heads-kernel.ts) that walk the
// cache position by position, for a cache resident in the kernels' memory;
// each sum keeps its order, so both give the same bits.
//
// Measured on this machine (Node 20, one thread). `npm run bench -- wasm`,
// a decode step's loops over 24 layers' caches, side by side with one head
// at a time (rowDotsF64, weightedRowSumF64), medians: at 48 cached positions
// scores 0.504 against 0.612 ms (1.21x), sums 0.415 against 0.489 ms
// (1.18x); at 200, scores 3.224 against 4.107 ms (1.27x), sums 2.041
// against 2.433 ms (1.19x). Inside a decode step of the large-shaped model,
// where the step's weights have just passed through the CPU caches (a
// scratch script timing attention in the engine, interleaved runs),
// attention went from 11.7-12.2 ms to 8.9-9.0 ms at positions 200-216 and
// from 3.1-3.3 ms to about 2.5 ms at 32-48.
import { ArgumentError } from "../errors.js";
import { residentOffset } from "./resident.js";
import { DOTS_HEADS } from "./attention-heads-kernel.js";
import { rowDotsF64, rowDotsF64Reference, weightedRowSumF64, weightedRowSumF64Reference } from "./row-dots.js";
import { scratchKernels } from "./scratch-block.js";

/**
 * Where the heads of one attention call read the cached values: rows of `stride`
 * floats from `offset` (position t at `offset + t·stride`), head h's slice
 * at `kvOffsets[h]` floats into a row (`(h / G | 0)·D` with G query heads
 * per kv head), `D` floats per head.
 *
 * @example
 * ```ts
 * const at: HeadsLayout = { offset: 0, stride: 1536, kvOffsets: Array.from({ length: 16 }, (_, h) => h * 96), D: 96 };
 * ```
 */
export interface HeadsLayout {
  readonly offset: number;
  readonly stride: number;
  readonly kvOffsets: readonly number[];
  readonly D: number;
}

function checkSums(fn: string, p: Float64Array, pStride: number, rows: Float32Array, at: HeadsLayout, T: number, out: Float32Array, outOffset: number): void {
  const H = at.kvOffsets.length;
  if (!Number.isInteger(pStride) || pStride < T || (H > 0 && (H - 1) * pStride + T > p.length) || !Number.isInteger(outOffset) || outOffset < 0 || outOffset + H * at.D > out.length) {
    throw new ArgumentError(`${fn}: p needs ${H} rows of ${pStride} >= T = ${T} (has ${p.length}), out ${H * at.D} values at ${outOffset} (has ${out.length})`);
  }
  checkRows(fn, rows, at, T);
}

/** The layout's numbers are non-negative integers and its T rows fit in `rows`. */
function checkRows(fn: string, rows: Float32Array, at: HeadsLayout, T: number): void {
  const { offset, stride, kvOffsets, D } = at;
  const ok = [offset, stride, D, T].every((v) => Number.isInteger(v) && v >= 0) && kvOffsets.every((k) => Number.isInteger(k) && k >= 0);
  if (!ok) throw new ArgumentError(`${fn}: offset, stride, D, T and kvOffsets must be non-negative integers; got offset ${offset}, stride ${stride}, D ${D}, T ${T}, kvOffsets [${kvOffsets.join(", ")}]`);
  const reach = T === 0 || kvOffsets.length === 0 || D === 0 ? 0 : offset + (T - 1) * stride + Math.max(...kvOffsets) + D;
  if (reach > rows.length) throw new ArgumentError(`${fn}: ${T} rows of stride ${stride} from offset ${offset} (heads up to ${Math.max(...kvOffsets)} + ${D}) need ${reach} values, rows has ${rows.length}`);
}

function checkDots(fn: string, q: Float32Array, qOffset: number, rows: Float32Array, at: HeadsLayout, T: number, scores: Float64Array, scoreStride: number): void {
  const { kvOffsets, D } = at;
  const H = kvOffsets.length;
  if (!Number.isInteger(qOffset) || qOffset < 0 || qOffset + H * D > q.length || !Number.isInteger(scoreStride) || scoreStride < T || (H > 0 && (H - 1) * scoreStride + T > scores.length)) {
    throw new ArgumentError(`${fn}: q needs ${H * D} values at ${qOffset} (has ${q.length}), scores ${H} rows of ${scoreStride} >= T = ${T} (has ${scores.length})`);
  }
  checkRows(fn, rows, at, T);
}

/**
 * `scores[h·scoreStride + t] = Σ_d q[qOffset + h·D + d]·rows[offset + t·stride + kvOffsets[h] + d]`
 * for every head h and `t < T`, each sum in float64 in d order from +0.
 * Runs the WebAssembly kernel (two heads per lane pair, the cache walked
 * row by row) when `rows` is resident, D is a multiple of 4 and the heads of
 * 4, else one head at a time through `rowDotsF64`; the bits are the same as
 * {@link headDotsF64Reference}.
 *
 * @example
 * ```ts
 * const scores = new Float64Array(2);
 * headDotsF64(new Float32Array([1, 2]), 0, new Float32Array([3, 4]), { offset: 0, stride: 2, kvOffsets: [0, 1], D: 1 }, 1, scores, 1); // scores = [3, 8]
 * ```
 */
export function headDotsF64(q: Float32Array, qOffset: number, rows: Float32Array, at: HeadsLayout, T: number, scores: Float64Array, scoreStride: number): void {
  checkDots("headDotsF64", q, qOffset, rows, at, T, scores, scoreStride);
  const { offset, stride, kvOffsets, D } = at;
  const H = kvOffsets.length;
  const base = residentOffset(rows);
  const qBytes = H * D * 8;
  const kvoBytes = Math.ceil((H * 4) / 16) * 16;
  const w = scratchKernels(base !== undefined && D % 4 === 0 && H % DOTS_HEADS === 0 && H > 0 && T > 0, qBytes + kvoBytes + T * H * 8);
  if (w === undefined || base === undefined) {
    for (let h = 0; h < H; h++) rowDotsF64(q, qOffset + h * D, rows, offset + kvOffsets[h], stride, D, T, scores.subarray(h * scoreStride, h * scoreStride + T));
    return;
  }
  const { kernels, at: scratch } = w;
  const buffer = kernels.arena.memory.buffer;
  // q as lane pairs of heads (2i, 2i + 1), column by column
  const qp = new Float64Array(buffer, scratch, H * D);
  for (let i = 0; i < H / 2; i++) {
    const a = qOffset + 2 * i * D;
    const b = a + D;
    const o = 2 * i * D;
    for (let d = 0; d < D; d++) {
      qp[o + 2 * d] = q[a + d];
      qp[o + 2 * d + 1] = q[b + d];
    }
  }
  const kvo = new Int32Array(buffer, scratch + qBytes, H);
  for (let h = 0; h < H; h++) kvo[h] = kvOffsets[h] * 4;
  const out = scratch + qBytes + kvoBytes;
  kernels.headDots(scratch, scratch + qBytes, base + offset * 4, stride * 4, H, D, T, out);
  const got = new Float64Array(buffer, out, T * H); // [T][H]
  for (let h = 0; h < H; h++) for (let t = 0, o = h * scoreStride; t < T; t++) scores[o + t] = got[t * H + h];
}

/**
 * The reference twin of {@link headDotsF64}: `rowDotsF64Reference` for one
 * head at a time.
 *
 * @example
 * ```ts
 * const scores = new Float64Array(1);
 * headDotsF64Reference(new Float32Array([2]), 0, new Float32Array([3]), { offset: 0, stride: 1, kvOffsets: [0], D: 1 }, 1, scores, 1); // scores = [6]
 * ```
 */
export function headDotsF64Reference(q: Float32Array, qOffset: number, rows: Float32Array, at: HeadsLayout, T: number, scores: Float64Array, scoreStride: number): void {
  checkDots("headDotsF64Reference", q, qOffset, rows, at, T, scores, scoreStride);
  const { offset, stride, kvOffsets, D } = at;
  for (let h = 0; h < kvOffsets.length; h++) rowDotsF64Reference(q, qOffset + h * D, rows, offset + kvOffsets[h], stride, D, T, scores.subarray(h * scoreStride, h * scoreStride + T));
}

/**
 * `out[outOffset + h·D + d] = f32(Σ_t p[h·pStride + t]·rows[offset + t·stride + kvOffsets[h] + d])`
 * for every head h and `d < D`, each sum in float64 in t order from +0.
 * Runs the WebAssembly kernel when `rows` is resident and D is a multiple
 * of 4, else one head at a time through `weightedRowSumF64`; the bits are
 * the same as {@link headWeightedSumF64Reference}.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * headWeightedSumF64(new Float64Array([2, 3]), 1, new Float32Array([3, 4]), { offset: 0, stride: 2, kvOffsets: [0, 1], D: 1 }, 1, out, 0); // out = [6, 12]
 * ```
 */
export function headWeightedSumF64(p: Float64Array, pStride: number, rows: Float32Array, at: HeadsLayout, T: number, out: Float32Array, outOffset: number): void {
  checkSums("headWeightedSumF64", p, pStride, rows, at, T, out, outOffset);
  const { offset, stride, kvOffsets, D } = at;
  const H = kvOffsets.length;
  const base = residentOffset(rows);
  const pBytes = Math.ceil((H * T * 8) / 16) * 16;
  const accBytes = H * D * 8;
  const w = scratchKernels(base !== undefined && D % 4 === 0 && T > 0 && H > 0, pBytes + accBytes + H * D * 4 + H * 4);
  if (w === undefined || base === undefined) {
    for (let h = 0; h < H; h++) weightedRowSumF64(p.subarray(h * pStride, h * pStride + T), rows, offset + kvOffsets[h], stride, D, T, out, outOffset + h * D);
    return;
  }
  const { kernels, at: scratch } = w;
  const buffer = kernels.arena.memory.buffer;
  const pv = new Float64Array(buffer, scratch, H * T);
  for (let h = 0; h < H; h++) pv.set(p.subarray(h * pStride, h * pStride + T), h * T);
  const acc = scratch + pBytes;
  const res = acc + accBytes;
  const kvo = new Int32Array(buffer, res + H * D * 4, H);
  for (let h = 0; h < H; h++) kvo[h] = kvOffsets[h] * 4;
  kernels.headWeightedSum(scratch, T * 8, res + H * D * 4, base + offset * 4, stride * 4, H, D, T, acc, res);
  out.set(new Float32Array(buffer, res, H * D), outOffset);
}

/**
 * The reference twin of {@link headWeightedSumF64}:
 * `weightedRowSumF64Reference` for one head at a time.
 *
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * headWeightedSumF64Reference(new Float64Array([2]), 1, new Float32Array([3]), { offset: 0, stride: 1, kvOffsets: [0], D: 1 }, 1, out, 0); // out = [6]
 * ```
 */
export function headWeightedSumF64Reference(p: Float64Array, pStride: number, rows: Float32Array, at: HeadsLayout, T: number, out: Float32Array, outOffset: number): void {
  checkSums("headWeightedSumF64Reference", p, pStride, rows, at, T, out, outOffset);
  const { offset, stride, kvOffsets, D } = at;
  for (let h = 0; h < kvOffsets.length; h++) weightedRowSumF64Reference(p.subarray(h * pStride, h * pStride + T), rows, offset + kvOffsets[h], stride, D, T, out, outOffset + h * D);
}
