// Symmetric int8 quantization of host rows, the two loops of AbsMax
// activations: the largest |x| of a range, then the codes
// clamp(round(x · scale), -qp - 1, qp) with the product and the rounding in
// float64. Written as plain JavaScript loops (the reference twins, and what
// runs on other arrays or without SIMD) and as WebAssembly SIMD kernels
// (int8-rows-kernel.ts) for float32 data, with the same results.
//
// Measured on this machine with `npm run bench -- wasm` (Node 20, one thread,
// side by side, medians): a decode step's AbsMax quantizations of the large
// model (24 x (3 rows of 1536 + 1 of 4096)) 0.262 ms against 0.923 ms for
// the loops (3.52x).
import { ArgumentError } from "../errors.js";
import { roundHalfAway } from "../rounding.js";
import { INT8_ROWS_STEP } from "./int8-rows-kernel.js";
import { MIN_KERNEL_VALUES, scratchKernels } from "./scratch-block.js";
import type { KernelFunctions, WasmKernels } from "./wasm-kernels.js";

/**
 * How {@link quantizeInt8Range} rounds x · scale: ties to even, or away from zero.
 *
 * @example
 * ```ts
 * const r: Int8Rounding = "half-even"; // 2.5 -> 2, 3.5 -> 4
 * ```
 */
export type Int8Rounding = "half-even" | "half-away";

/** 1.5·2^52: `y + ROUND - ROUND` is y rounded to an integer, ties to even, for |y| < 2^51. */
const ROUND = 6755399441055744;

function checkRange(fn: string, data: ArrayLike<number>, start: number, end: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > data.length) {
    throw new ArgumentError(`${fn}: range ${start}..${end} is not inside ${data.length} values`);
  }
}

/** The kernels and a scratch block of `bytes` for `n` values of `data`, or undefined where the loops should run. */
function wasmFor(data: ArrayLike<number>, n: number, bytes: number): { readonly kernels: WasmKernels; readonly at: number } | undefined {
  return scratchKernels(data instanceof Float32Array && n >= MIN_KERNEL_VALUES, bytes);
}

/**
 * The largest |data[i]| over `start..end` (0 for an empty range), or NaN
 * when any of those values is NaN. A WebAssembly kernel for a
 * `Float32Array` where SIMD validates, else {@link absMaxRangeReference};
 * the same value.
 *
 * @example
 * ```ts
 * absMaxRange(new Float32Array([0.5, -2, 1]), 0, 3); // 2
 * ```
 */
export function absMaxRange(data: ArrayLike<number>, start: number, end: number): number {
  checkRange("absMaxRange", data, start, end);
  const n = end - start;
  const whole = n - (n % INT8_ROWS_STEP);
  const w = wasmFor(data, whole, whole * 4 + 16);
  if (w === undefined) return absMaxRangeReference(data, start, end);
  const { kernels, at } = w;
  const mem = new Float32Array(kernels.arena.memory.buffer, at, whole + 4);
  mem.set((data as Float32Array).subarray(start, start + whole));
  kernels.absMaxF32(at, whole / INT8_ROWS_STEP, at + whole * 4);
  const lanes = Math.max(mem[whole], mem[whole + 1], mem[whole + 2], mem[whole + 3]); // NaN if a lane is
  const tail = absMaxRangeReference(data, start + whole, end);
  return lanes !== lanes || tail !== tail ? Number.NaN : Math.max(lanes, tail);
}

/**
 * The reference twin of {@link absMaxRange}: one plain loop.
 *
 * @example
 * ```ts
 * absMaxRangeReference([0.5, Number.NaN], 0, 2); // NaN
 * ```
 */
export function absMaxRangeReference(data: ArrayLike<number>, start: number, end: number): number {
  checkRange("absMaxRangeReference", data, start, end);
  let m = 0;
  let nan = false;
  for (let i = start; i < end; i++) {
    const a = Math.abs(data[i]);
    if (a > m) m = a;
    else if (a !== a) nan = true; // a NaN is never > m
  }
  return nan ? Number.NaN : m;
}

/** The arguments every quantizer here takes: a range inside `data`, codes reaching its end, a scale that is a number. */
function checkCodes(fn: string, data: ArrayLike<number>, start: number, end: number, scale: number, codes: Int8Array): void {
  checkRange(fn, data, start, end);
  if (codes.length < end) throw new ArgumentError(`${fn}: codes hold ${codes.length} values, the range ends at ${end}`);
  if (typeof scale !== "number" || Number.isNaN(scale)) throw new ArgumentError(`${fn}: scale must be a number, got ${scale}`);
}

function checkQuantize(fn: string, data: ArrayLike<number>, start: number, end: number, scale: number, qp: number, rounding: Int8Rounding, codes: Int8Array): void {
  checkCodes(fn, data, start, end, scale, codes);
  if (!Number.isInteger(qp) || qp < 0 || qp > 127) throw new ArgumentError(`${fn}: qp must be an integer in 0..127, got ${qp}`);
  if (rounding !== "half-even" && rounding !== "half-away") throw new ArgumentError(`${fn}: rounding must be "half-even" or "half-away", got ${JSON.stringify(rounding)}`);
}

/**
 * `codes[i] = clamp(round(data[i] · scale), -qp - 1, qp)` for `i` in
 * `start..end` (the product in float64; `rounding` ties to even or away
 * from zero; NaN gives 0). A WebAssembly kernel for a `Float32Array` where
 * SIMD validates, else {@link quantizeInt8RangeReference}; the same codes.
 *
 * @example
 * ```ts
 * const codes = new Int8Array(3);
 * quantizeInt8Range(new Float32Array([0.5, -1, 0.25]), 0, 3, 127, 127, "half-even", codes); // codes = [64, -127, 32]
 * ```
 */
export function quantizeInt8Range(data: ArrayLike<number>, start: number, end: number, scale: number, qp: number, rounding: Int8Rounding, codes: Int8Array): void {
  checkQuantize("quantizeInt8Range", data, start, end, scale, qp, rounding, codes);
  quantizeVia(data, start, end, codes, (k, src, steps, dst) => k.quantizeInt8(src, steps, dst, scale, qp, rounding === "half-away" ? 1 : 0), (from, to) => quantizeLoop(data, from, to, scale, qp, rounding, codes));
}

/**
 * `codes[start..end)` of a quantizer: its kernel (`kernel(fns, src, steps,
 * dst)`, 16 values a step) over the whole steps of float32 data copied into
 * the scratch block, then its plain loop (`loop(from, to)`) over the rest;
 * the loop alone where the kernels do not apply.
 */
function quantizeVia(
  data: ArrayLike<number>, start: number, end: number, codes: Int8Array,
  kernel: (fns: KernelFunctions, src: number, steps: number, dst: number) => void, loop: (from: number, to: number) => void,
): void {
  const n = end - start;
  const whole = n - (n % INT8_ROWS_STEP);
  const w = wasmFor(data, whole, whole * 5);
  if (w === undefined) {
    loop(start, end);
    return;
  }
  const { kernels, at } = w;
  new Float32Array(kernels.arena.memory.buffer, at, whole).set((data as Float32Array).subarray(start, start + whole));
  kernel(kernels, at, whole / INT8_ROWS_STEP, at + whole * 4);
  codes.set(new Int8Array(kernels.arena.memory.buffer, at + whole * 4, whole), start);
  loop(start + whole, end);
}

/**
 * The reference twin of {@link quantizeInt8Range}: one plain loop.
 *
 * @example
 * ```ts
 * const codes = new Int8Array(2);
 * quantizeInt8RangeReference([0.5, 2.5], 0, 2, 1, 127, "half-away", codes); // codes = [1, 3]
 * ```
 */
export function quantizeInt8RangeReference(data: ArrayLike<number>, start: number, end: number, scale: number, qp: number, rounding: Int8Rounding, codes: Int8Array): void {
  checkQuantize("quantizeInt8RangeReference", data, start, end, scale, qp, rounding, codes);
  quantizeLoop(data, start, end, scale, qp, rounding, codes);
}

function quantizeLoop(data: ArrayLike<number>, start: number, end: number, scale: number, qp: number, rounding: Int8Rounding, codes: Int8Array): void {
  const hi = qp;
  const lo = -qp - 1;
  if (rounding === "half-even") {
    // clamped to a few hundred at most: the 1.5·2^52 trick is roundHalfEven there (larger values clamp either way)
    for (let i = start; i < end; i++) {
      const q = data[i] * scale + ROUND - ROUND;
      codes[i] = q > hi ? hi : q < lo ? lo : q;
    }
  } else {
    for (let i = start; i < end; i++) {
      const q = roundHalfAway(data[i] * scale);
      codes[i] = q > hi ? hi : q < lo ? lo : q;
    }
  }
}

/**
 * `codes[i] = clamp(round(f32(data[i] · f32(scale))), -128, 127)` for `i` in
 * `start..end`: the product rounded to float32 first, then to an integer,
 * ties to even (llama.cpp's Q8_K rounding; NaN gives 0). A WebAssembly
 * kernel for a `Float32Array` where SIMD validates, else
 * {@link quantizeInt8RangeF32Reference}; the same codes.
 *
 * @example
 * ```ts
 * const codes = new Int8Array(2);
 * quantizeInt8RangeF32(new Float32Array([0.5, -2]), 0, 2, 63.5, codes); // codes = [32, -127]
 * ```
 */
export function quantizeInt8RangeF32(data: ArrayLike<number>, start: number, end: number, scale: number, codes: Int8Array): void {
  checkCodes("quantizeInt8RangeF32", data, start, end, scale, codes);
  quantizeVia(data, start, end, codes, (k, src, steps, dst) => k.quantizeInt8F32(src, steps, dst, Math.fround(scale)), (from, to) => quantizeF32Loop(data, from, to, scale, codes));
}

/**
 * The reference twin of {@link quantizeInt8RangeF32}: one plain loop.
 *
 * @example
 * ```ts
 * const codes = new Int8Array(2);
 * quantizeInt8RangeF32Reference([2.5, 3.5], 0, 2, 1, codes); // codes = [2, 4]
 * ```
 */
export function quantizeInt8RangeF32Reference(data: ArrayLike<number>, start: number, end: number, scale: number, codes: Int8Array): void {
  checkCodes("quantizeInt8RangeF32Reference", data, start, end, scale, codes);
  quantizeF32Loop(data, start, end, scale, codes);
}

function quantizeF32Loop(data: ArrayLike<number>, start: number, end: number, scale: number, codes: Int8Array): void {
  const s = Math.fround(scale);
  for (let i = start; i < end; i++) {
    // a float32 product; beyond ±2^51 the trick is off but those clamp either way
    const q = Math.fround(s * data[i]) + ROUND - ROUND;
    codes[i] = q > 127 ? 127 : q < -128 ? -128 : q; // NaN: Int8Array stores 0
  }
}
