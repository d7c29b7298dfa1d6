// bfloat16 (BF16): the top 16 bits of an f32, rounded to nearest even, and back.
// Little-endian bytes; matches ggml's ggml_compute_fp32_to_bf16.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The bfloat16 bits for the binary32 bit pattern `bits`: round to nearest, ties to
 * even; NaN becomes a quiet NaN with its sign and top payload bits kept.
 *
 * @example
 * ```ts
 * f32BitsToBf16Bits(0x3f808000); // 0x3f80 (tie, kept even)
 * f32BitsToBf16Bits(0x3f818000); // 0x3f82 (tie, rounded up to even)
 * ```
 */
export function f32BitsToBf16Bits(bits: number): number {
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 0x40) & 0xffff;
  const lsb = (bits >>> 16) & 1;
  // Add 0x7fff plus the kept lsb, then truncate: ties go to the even result.
  return (((bits >>> 0) + 0x7fff + lsb) >>> 16) & 0xffff;
}

/**
 * The number a bfloat16 bit pattern stands for.
 *
 * @example
 * ```ts
 * bf16BitsToF32(0x3f80); // 1
 * ```
 */
export function bf16BitsToF32(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/**
 * Encodes f32 values as little-endian BF16 (2 bytes each).
 *
 * @example
 * ```ts
 * encodeBF16(new Float32Array([1, -2])); // Uint8Array [0x80, 0x3f, 0x00, 0xc0]
 * ```
 */
export function encodeBF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const h = f32BitsToBf16Bits(bits[i]);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
  return out;
}

/**
 * Decodes `count` little-endian BF16 values (`bytes.length` must be `2 * count`).
 *
 * @example
 * ```ts
 * decodeBF16(new Uint8Array([0x80, 0x3f]), 1); // Float32Array [1]
 * ```
 */
export function decodeBF16(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeBF16");
  checkByteLength("decodeBF16", bytes, checkBlocks("decodeBF16", count, 1), 2);
  const out = new Float32Array(count);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) bits[i] = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16) >>> 0;
  return out;
}
