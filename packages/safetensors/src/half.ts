// binary16 (F16) and bfloat16 (BF16) bit conversions, round to nearest even. Kept here so the
// package has no dependencies; the gguf package's codecs implement the same rules.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The number an IEEE binary16 bit pattern stands for (exact).
 *
 * @example
 * ```ts
 * f16BitsToNumber(0x3c00); // 1
 * f16BitsToNumber(0xfc00); // -Infinity
 * ```
 */
export function f16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

/**
 * The binary16 bits nearest to `value` (f32 first, then round to nearest, ties to even;
 * overflow gives ±Infinity, NaN a quiet NaN).
 *
 * @example
 * ```ts
 * numberToF16Bits(1);     // 0x3c00
 * numberToF16Bits(65520); // 0x7c00
 * ```
 */
export function numberToF16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | (mant !== 0 ? 0x7e00 : 0x7c00);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e >= 1) {
    let h = (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h += 1;
    return sign | h;
  }
  // Subnormal half: the value is M * 2^(exp - 150) with M the 24-bit significand.
  const shift = 126 - exp;
  if (shift > 24) return sign;
  const M = mant | 0x800000;
  let m = M >>> shift;
  const rest = M & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (m & 1) === 1)) m += 1;
  return sign | m;
}

/**
 * The number a bfloat16 bit pattern stands for (its bits are the top half of an f32).
 *
 * @example
 * ```ts
 * bf16BitsToNumber(0x3f80); // 1
 * ```
 */
export function bf16BitsToNumber(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/**
 * The bfloat16 bits nearest to `value` (f32 first, then round to nearest even; NaN stays a
 * quiet NaN), as PyTorch and ggml convert.
 *
 * @example
 * ```ts
 * numberToBf16Bits(1); // 0x3f80
 * ```
 */
export function numberToBf16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 0x40) & 0xffff;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}
