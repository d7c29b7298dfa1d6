// Rounding float32 values to binary16 precision (ties to even), kept as
// float32: what storing them in an fp16 buffer and reading them back gives
// (llama.cpp's default fp16 KV cache, and its fp16 rounding of attention's
// q). Written as a plain loop (the reference twin: the normal binary16 range
// on the float32 bits in integer arithmetic, the subnormal range in exact
// float64 arithmetic) and as a WebAssembly SIMD kernel
// (float16-round-kernel.ts) with the same results.
//
// Measured on this machine with `npm run bench -- wasm` (Node 20, one
// thread, side by side, medians): a decode step's roundings of the
// large-shaped model with an fp16 cache (24 x q, k and v rows of 1536)
// 0.096 ms against 0.31 ms for the loop (3.25x).
import { ArgumentError } from "../errors.js";
import { roundHalfEven } from "../rounding.js";
import { F16_MIN_NORMAL_BITS, F16_OVERFLOW_BITS, FLOAT16_ROUND_STEP } from "./float16-round-kernel.js";
import { MIN_KERNEL_VALUES, scratchKernels } from "./scratch-block.js";

/** 2^24 and 2^-24: binary16's subnormal spacing is 2^-24. */
const TWO_24 = 16777216;
const TWO_M24 = 1 / TWO_24;

function check(fn: string, src: Float32Array, dst: Float32Array, dstOffset: number, n: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(dstOffset) || n < 0 || n > src.length || dstOffset < 0 || dstOffset + n > dst.length) {
    throw new ArgumentError(`${fn}: ${n} values from ${src.length} into ${dst.length} at ${dstOffset} do not fit`);
  }
}

/**
 * `dst[dstOffset + i]` = `src[i]` rounded to the nearest binary16 value
 * (ties to even; past 65520 to infinity; NaN stays NaN) for `i < n`, as
 * float32. The WebAssembly SIMD kernel where it runs (4 values per step,
 * the rest in the loop), else {@link roundFloat16RangeReference}; the same
 * values either way. `dst` may be `src` itself, rounded in place with
 * `dstOffset` 0; other overlaps of the two are not supported.
 *
 * @example
 * ```ts
 * const dst = new Float32Array(3);
 * roundFloat16Range(new Float32Array([0.1, 65520, 1e-7]), dst, 0, 3); // dst = [0.0999755859375, Infinity, 1.1920928955078125e-7]
 * ```
 */
export function roundFloat16Range(src: Float32Array, dst: Float32Array, dstOffset: number, n: number): void {
  check("roundFloat16Range", src, dst, dstOffset, n);
  const n4 = n - (n % FLOAT16_ROUND_STEP);
  const w = scratchKernels(n4 >= MIN_KERNEL_VALUES, n4 * 4);
  if (w === undefined) {
    roundFloat16RangeReference(src, dst, dstOffset, n);
    return;
  }
  const { kernels, at } = w;
  const mem = new Float32Array(kernels.arena.memory.buffer, at, n4);
  mem.set(src.subarray(0, n4));
  kernels.roundFloat16(at, at, n4 / FLOAT16_ROUND_STEP);
  dst.set(mem, dstOffset);
  if (n4 < n) roundFloat16RangeReference(src.subarray(n4, n), dst, dstOffset + n4, n - n4);
}

/**
 * The plain twin of {@link roundFloat16Range}: in binary16's normal range,
 * the float32 bits with the 13 dropped mantissa bits rounded off in integer
 * arithmetic (ties to even, the carry running into the exponent); below it,
 * |x|·2^24 rounded to an integer, ties to even, times 2^-24 (exact in
 * float64).
 *
 * @example
 * ```ts
 * const dst = new Float32Array(1);
 * roundFloat16RangeReference(new Float32Array([1 / 3]), dst, 0, 1); // dst = [0.333251953125]
 * ```
 */
export function roundFloat16RangeReference(src: Float32Array, dst: Float32Array, dstOffset: number, n: number): void {
  check("roundFloat16RangeReference", src, dst, dstOffset, n);
  // integer views of the same bytes (float32 values are 4-byte aligned)
  const s = new Uint32Array(src.buffer, src.byteOffset, n);
  const d = new Uint32Array(dst.buffer, dst.byteOffset + dstOffset * 4, n);
  for (let i = 0; i < n; i++) {
    const u = s[i];
    const sign = u & 0x80000000;
    const a = u & 0x7fffffff;
    if (a > 0x7f800000) d[i] = u; // NaN, its bits kept
    else if (a >= F16_OVERFLOW_BITS) d[i] = (sign | 0x7f800000) >>> 0; // ±Infinity
    else if (a >= F16_MIN_NORMAL_BITS) d[i] = (sign | ((a + 0xfff + ((a >>> 13) & 1)) & 0x7fffe000)) >>> 0;
    else {
      const x = src[i];
      const r = roundHalfEven(Math.abs(x) * TWO_24) * TWO_M24;
      dst[dstOffset + i] = sign !== 0 ? -r : r;
    }
  }
}
