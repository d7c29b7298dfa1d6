// The fused multiply-add of float32 values, `fmaf`: a·b + c rounded once,
// computed in doubles (with an exact TwoSum correction near float32
// midpoints), beside its exact BigInt reference twin. What emulations of
// llama.cpp's CPU arithmetic build on (GCC contracts a·b + c into one FMA
// there); not a tensor op.

const f32 = Math.fround;
/** The largest float32, and the midpoint above it from which float32 rounding overflows. */
const F32_MAX = 2 ** 128 - 2 ** 104;
const F32_OVERFLOW = 2 ** 128 - 2 ** 103;

/**
 * `a·b + c` rounded once to float32 (a fused multiply-add, `fmaf`), for
 * float32 inputs. The product is exact in a double; the sum is rounded to a
 * double, which can be a float32 midpoint only by that rounding: then the
 * exact remainder (TwoSum) picks the side.
 *
 * @example
 * ```ts
 * fmaF32(1 + 2 ** -23, 1 - 2 ** -23, -1); // -2 ** -46 (a·b − 1 rounded once; f32(a·b) − 1 would be 0)
 * ```
 */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 significant bits fit a double
  const s = p + c;
  const r = f32(s);
  if (r === s || !Number.isFinite(s)) return r;
  const bb = s - p;
  const e = p - (s - bb) + (c - bb); // the part of p + c that s lost (TwoSum)
  if (e === 0) return r;
  if (!Number.isFinite(r)) {
    // overflow: s at the midpoint between the largest float32 and 2^128 rounds up, unless the remainder pulls it back
    return Math.abs(s) === F32_OVERFLOW && e > 0 !== s > 0 ? Math.sign(s) * F32_MAX : r;
  }
  const other = 2 * s - r; // the float32 on s's other side, if s is halfway between two
  if (f32(other) !== other) return r; // not halfway: s rounds as p + c does
  return other > s === e > 0 ? other : r;
}

/** A finite double as an integer multiple of 2^-1074, the smallest double (exact). */
function toUnits(x: number): bigint {
  if (x === 0) return 0n;
  const sign = x < 0 ? -1n : 1n;
  let a = Math.abs(x);
  let e = 0;
  while (a !== Math.floor(a)) {
    a *= 2; // exact: scaling a double by 2
    e++;
  }
  return sign * BigInt(a) * 2n ** BigInt(1074 - e);
}

/**
 * The reference twin of {@link fmaF32}: the exact `a·b + c` in integers
 * (BigInt units of 2^-1074, products in units of 2^-2148), rounded to the
 * nearest float32, ties to even. Slow.
 *
 * @example
 * ```ts
 * fmaF32Reference(1 + 2 ** -23, 1 - 2 ** -23, -1); // -2 ** -46
 * ```
 */
export function fmaF32Reference(a: number, b: number, c: number): number {
  if (![a, b, c].every(Number.isFinite)) return f32(a * b + c);
  const exact = toUnits(a) * toUnits(b) + toUnits(c) * 2n ** 1074n; // units of 2^-2148
  if (exact === 0n) return f32(a * b + c); // the sign of a zero, as IEEE sums give it
  const neg = exact < 0n;
  const mag = neg ? -exact : exact;
  // the float32 step at this magnitude, in units of 2^-2148: 2^(e-23) for 2^e <= |x| < 2^(e+1), at least 2^-149
  const bits = mag.toString(2).length; // |x| in [2^(bits-1), 2^bits) units
  const e = bits - 1 - 2148;
  const stepExp = Math.max(e - 23, -149) + 2148;
  const step = 2n ** BigInt(stepExp);
  let q = mag / step;
  const rem = mag - q * step;
  if (2n * rem > step || (2n * rem === step && q % 2n === 1n)) q += 1n;
  const v = Number(q) * 2 ** (stepExp - 2148); // exact unless it overflows (then Infinity, as float32 rounding gives)
  const r = f32(v);
  return neg ? -r : r;
}
