// IEEE binary16 (F16): conversion from f32 with round-to-nearest-even, and back.
// Little-endian bytes; no other float formats here (BF16 is ./bf16.ts).
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The binary16 bits of the f32 nearest to `value`, rounded to nearest with ties to
 * even. Subnormal halves are produced exactly, values at or above 65520 in magnitude
 * give ±Infinity, NaN gives a quiet NaN (sign kept, 0x7e00) as ggml's fallback does.
 *
 * @example
 * ```ts
 * f32ToF16Bits(1);      // 0x3c00
 * f32ToF16Bits(65520);  // 0x7c00 (Infinity)
 * f32ToF16Bits(2 ** -25); // 0x0000 (tie between 0 and the smallest subnormal: even)
 * ```
 */
export function f32ToF16Bits(value: number): number {
  f32[0] = value;
  return f32BitsToF16Bits(u32[0]);
}

/**
 * The binary16 bits for the binary32 bit pattern `bits` (round to nearest, ties to even).
 *
 * @example
 * ```ts
 * f32BitsToF16Bits(0x3f800000); // 0x3c00 (1.0)
 * ```
 */
export function f32BitsToF16Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | (mant !== 0 ? 0x7e00 : 0x7c00);
  const e = exp - 127 + 15; // biased half exponent
  if (e >= 0x1f) return sign | 0x7c00;
  if (e >= 1) {
    // Normal half: keep 10 mantissa bits, round on the 13 dropped ones. A carry out of
    // the mantissa correctly bumps the exponent (and reaches Infinity at the top).
    let h = (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h += 1;
    return sign | h;
  }
  // Subnormal half (or zero): the value is m * 2^-24 with m = M * 2^(exp - 126),
  // where M is the 24-bit significand with its implicit bit.
  const shift = 126 - exp; // >= 14
  if (shift > 24) return sign; // below half the smallest subnormal
  const M = mant | 0x800000;
  let m = M >>> shift;
  const rest = M & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (m & 1) === 1)) m += 1;
  return sign | m;
}

/**
 * The number a binary16 bit pattern stands for.
 *
 * @example
 * ```ts
 * f16BitsToF32(0x3c00); // 1
 * f16BitsToF32(0x0001); // 5.960464477539063e-8 (2^-24)
 * f16BitsToF32(0x7c00); // Infinity
 * ```
 */
export function f16BitsToF32(h: number): number {
  const sign = (h & 0x8000) !== 0 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

let decodeTable: Float32Array | undefined;

/** All 65536 halves as f32, built from {@link f16BitsToF32} on first use. */
function f16Table(): Float32Array {
  if (decodeTable === undefined) {
    const table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = f16BitsToF32(h);
    decodeTable = table;
  }
  return decodeTable;
}

/**
 * Reads the little-endian binary16 at `bytes[offset]` as a number.
 *
 * @example
 * ```ts
 * readF16(new Uint8Array([0x00, 0x3c]), 0); // 1
 * ```
 */
export function readF16(bytes: Uint8Array, offset: number): number {
  return f16Table()[bytes[offset] | (bytes[offset + 1] << 8)];
}

/**
 * Encodes f32 values as little-endian F16 (2 bytes each, ties to even).
 *
 * @example
 * ```ts
 * encodeF16(new Float32Array([1, -2])); // Uint8Array [0x00, 0x3c, 0x00, 0xc0]
 * ```
 */
export function encodeF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const h = f32BitsToF16Bits(bits[i]);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
  return out;
}

/**
 * Decodes `count` little-endian F16 values (`bytes.length` must be `2 * count`).
 *
 * @example
 * ```ts
 * decodeF16(new Uint8Array([0x00, 0x3c, 0x00, 0xc0]), 2); // Float32Array [1, -2]
 * ```
 */
export function decodeF16(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeF16");
  checkByteLength("decodeF16", bytes, checkBlocks("decodeF16", count, 1), 2);
  const table = f16Table();
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = table[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
  return out;
}
