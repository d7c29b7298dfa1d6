// Attention's weighted sums for all heads of one query position over a
// cache of float32 rows (positions), in float64 with each sum taken in t
// order: the outputs Σ_t p_h[t]·v_t of every head h. Written as a plain
// loop (the reference twin: one head at a time, weightedRowSumF64Reference)
// and as a WebAssembly SIMD kernel (attention-heads-kernel.ts) that walks
// the cache position by position, for a cache resident in the kernels'
// memory; each sum keeps its order, so both give the same bits.
//
// Measured on this machine (Node 20, one thread). `npm run bench -- wasm`,
// a decode step's weighted sums over 24 layers' value caches, side by side
// with one head at a time (weightedRowSumF64), medians: 48 cached positions
// 0.418 against 0.527 ms (1.26x), 200 positions 2.009 against 2.686 ms
// (1.34x). In a decode step of the large-shaped model, where the step's
// weights have just passed through the CPU caches (a scratch script timing
// attention inside the engine, 3 interleaved runs each): attention 9.2-10.1
// against 11.7-12.2 ms at positions 200-216, about 2.6 against 3.1-3.3 ms at
// 32-48. The dots of attention stay one head at a time: a kernel walking
// positions for them (2 or 4 heads per step) was faster at 56 positions
// (0.55 against 0.7 ms) but slower at 200 (5.3 against 4.6 ms).
import { ArgumentError } from "../errors.js";
import { residentOffset } from "./resident.js";
import { weightedRowSumF64, weightedRowSumF64Reference } from "./row-dots.js";
import { scratchBlock } from "./scratch-block.js";
import { wasmKernels } from "./wasm-kernels.js";

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

function check(fn: string, p: Float64Array, pStride: number, rows: Float32Array, at: HeadsLayout, T: number, out: Float32Array, outOffset: number): void {
  const { offset, stride, kvOffsets, D } = at;
  const H = kvOffsets.length;
  if (!Number.isInteger(pStride) || pStride < T || (H > 0 && (H - 1) * pStride + T > p.length) || !Number.isInteger(outOffset) || outOffset < 0 || outOffset + H * D > out.length) {
    throw new ArgumentError(`${fn}: p needs ${H} rows of ${pStride} >= T = ${T} (has ${p.length}), out ${H * D} values at ${outOffset} (has ${out.length})`);
  }
  const ok = [offset, stride, D, T].every((v) => Number.isInteger(v) && v >= 0) && kvOffsets.every((k) => Number.isInteger(k) && k >= 0);
  if (!ok) throw new ArgumentError(`${fn}: offset, stride, D, T and kvOffsets must be non-negative integers; got offset ${offset}, stride ${stride}, D ${D}, T ${T}, kvOffsets [${kvOffsets.join(", ")}]`);
  const reach = T === 0 || kvOffsets.length === 0 || D === 0 ? 0 : offset + (T - 1) * stride + Math.max(...kvOffsets) + D;
  if (reach > rows.length) throw new ArgumentError(`${fn}: ${T} rows of stride ${stride} from offset ${offset} (heads up to ${Math.max(...kvOffsets)} + ${D}) need ${reach} values, rows has ${rows.length}`);
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
  check("headWeightedSumF64", p, pStride, rows, at, T, out, outOffset);
  const { offset, stride, kvOffsets, D } = at;
  const H = kvOffsets.length;
  const base = residentOffset(rows);
  const kernels = base === undefined || D % 4 !== 0 || T === 0 || H === 0 ? undefined : wasmKernels();
  const pBytes = Math.ceil((H * T * 8) / 16) * 16;
  const accBytes = H * D * 8;
  const scratch = kernels === undefined ? -1 : scratchBlock(kernels, pBytes + accBytes + H * D * 4 + H * 4);
  if (kernels === undefined || base === undefined || scratch < 0) {
    for (let h = 0; h < H; h++) weightedRowSumF64(p.subarray(h * pStride, h * pStride + T), rows, offset + kvOffsets[h], stride, D, T, out, outOffset + h * D);
    return;
  }
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
  check("headWeightedSumF64Reference", p, pStride, rows, at, T, out, outOffset);
  const { offset, stride, kvOffsets, D } = at;
  for (let h = 0; h < kvOffsets.length; h++) weightedRowSumF64Reference(p.subarray(h * pStride, h * pStride + T), rows, offset + kvOffsets[h], stride, D, T, out, outOffset + h * D);
}
