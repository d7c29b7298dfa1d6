// Q5_1: blocks of 32 5-bit codes with fp16 scale d and fp16 minimum m (24 bytes), value = q·d + m.
// Decoding only, byte-exact with ggml's dequantize_row_q5_1 (f32 multiply, then f32 add).
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";

/**
 * Bytes per Q5_1 block of 32: fp16 d, fp16 m, qh[4], qs[16].
 * @example
 * ```ts
 * Q5_1_BLOCK_BYTES; // 24
 * ```
 */
export const Q5_1_BLOCK_BYTES = 24;

/**
 * Decodes `count` Q5_1 values (`count` a multiple of 32): as Q5_0 without the −16, then ·d + m.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(24); b[1] = 0x3c; b[4] = 1; b[8] = 0x0f; // d = 1, m = 0, fifth bit of element 0, qs[0] = 15
 * decodeQ5_1(b, 32)[0]; // 31
 * ```
 */
export function decodeQ5_1(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ5_1");
  const blocks = checkBlocks("decodeQ5_1", count, 32);
  checkByteLength("decodeQ5_1", bytes, blocks, Q5_1_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q5_1_BLOCK_BYTES;
    const x = b * 32;
    const d = readF16(bytes, y);
    const m = readF16(bytes, y + 2);
    const h = (bytes[y + 4] | (bytes[y + 5] << 8) | (bytes[y + 6] << 16) | (bytes[y + 7] << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = bytes[y + 8 + j];
      out[x + j] = Math.fround(((q & 15) | (((h >>> j) & 1) << 4)) * d) + m;
      out[x + j + 16] = Math.fround(((q >>> 4) | (((h >>> (j + 16)) & 1) << 4)) * d) + m;
    }
  }
  return out;
}
