// Rounding a number to the nearest IEEE binary16 value (ties to even),
// returned as a number: what storing in an fp16 buffer and reading back does.
// For llama.cpp's default fp16 KV cache. Not a codec (gguf has those).
import { roundFloat16Range } from "@bitnet-quantize/tensor";
import { BitNetError } from "../errors.js";

const bits = new Float64Array(1);
/** The 32-bit half of `bits` that holds the sign, the exponent and the top of the mantissa. */
const words = new Uint32Array(bits.buffer);
const hiWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: the second word
/** ulp of binary16 in the binade 2^e, e = -14..15 (index e + 14), and its inverse: powers of two. */
const ULP = Float64Array.from({ length: 30 }, (_, i) => 2 ** (i - 14 - 10));
const INV_ULP = Float64Array.from({ length: 30 }, (_, i) => 2 ** (10 - (i - 14)));
/** 2^52: adding and subtracting it rounds a number below 2^52 to an integer, ties to even (IEEE default rounding). */
const ROUND = 4503599627370496;

/**
 * The nearest binary16 value to `x` (ties to even; overflow to ±Infinity,
 * subnormals kept, NaN stays NaN). Reads the binade from the float64 bits
 * and rounds with the 2^52 trick; equal to {@link roundToFloat16Reference}
 * for every input.
 *
 * @example
 * ```ts
 * roundToFloat16(0.1); // 0.0999755859375
 * roundToFloat16(65520); // Infinity
 * ```
 */
export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity; // halfway to the next binade past 65504 rounds up
  bits[0] = a;
  let i = ((words[hiWord] >>> 20) & 0x7ff) - 1023 + 14; // the binade's index (binary16 subnormals share -14's ulp)
  if (i < 0) i = 0;
  // a / ulp is exact (a power of two) and below 2^11: the 2^52 trick rounds it to an integer, ties to even
  const r = a * INV_ULP[i] + ROUND - ROUND;
  const v = r * ULP[i];
  return x > 0 ? v : -v;
}

/**
 * The reference twin of {@link roundToFloat16} (the same result, from
 * `Math.log2` and powers; slow): the nearest binary16 value to `x`.
 *
 * @example
 * ```ts
 * roundToFloat16Reference(0.1); // 0.0999755859375
 * ```
 */
export function roundToFloat16Reference(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity; // halfway to the next binade past 65504 rounds up
  let e = Math.max(-14, Math.floor(Math.log2(a)));
  if (e > -14 && 2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (e - 10);
  const q = a / ulp; // exact: dividing by a power of two
  const f = Math.floor(q);
  const d = q - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  const v = r * ulp;
  return x > 0 ? v : -v;
}

/**
 * {@link roundToFloat16} of `n` float32 values at once, `dst[dstOffset + i] =
 * roundToFloat16(src[i])`: tensor's `roundFloat16Range` (a WebAssembly SIMD
 * kernel on the float32 bits where it runs, with its plain twin elsewhere),
 * the same values as the scalar function (NaN stays NaN): the fp16 KV
 * cache's writes and attention's fp16 q.
 *
 * @example
 * ```ts
 * const dst = new Float32Array(2);
 * roundFloat32ToFloat16(new Float32Array([0.1, 65520]), dst, 0, 2); // dst = [0.0999755859375, Infinity]
 * ```
 */
export function roundFloat32ToFloat16(src: Float32Array, dst: Float32Array, dstOffset: number, n: number): void {
  if (!(n >= 0 && n <= src.length && dstOffset >= 0 && dstOffset + n <= dst.length) || !Number.isInteger(n) || !Number.isInteger(dstOffset)) {
    throw new BitNetError(`roundFloat32ToFloat16: ${n} values from ${src.length} into ${dst.length} at ${dstOffset} do not fit`);
  }
  roundFloat16Range(src, dst, dstOffset, n);
}
