// Q4_1: blocks of 32 4-bit codes with fp16 scale d and fp16 minimum m (20 bytes), value = q·d + m.
// Decoding only, byte-exact with ggml's dequantize_row_q4_1 (f32 multiply, then f32 add).
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";

/**
 * Bytes per Q4_1 block of 32: fp16 d, fp16 m, then qs[16].
 * @example
 * ```ts
 * Q4_1_BLOCK_BYTES; // 20
 * ```
 */
export const Q4_1_BLOCK_BYTES = 20;

/**
 * Decodes `count` Q4_1 values (`count` a multiple of 32): y[j] = (qs[j] & 15)·d + m,
 * y[j + 16] = (qs[j] >> 4)·d + m, the product rounded to f32 before the add.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(20); b[1] = 0x3c; b[3] = 0xbc; b[4] = 0x21; // d = 1, m = -1, qs[0] = 0x21
 * [decodeQ4_1(b, 32)[0], decodeQ4_1(b, 32)[16]]; // [0, 1]
 * ```
 */
export function decodeQ4_1(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ4_1");
  const blocks = checkBlocks("decodeQ4_1", count, 32);
  checkByteLength("decodeQ4_1", bytes, blocks, Q4_1_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q4_1_BLOCK_BYTES;
    const x = b * 32;
    const d = readF16(bytes, y);
    const m = readF16(bytes, y + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes[y + 4 + j];
      out[x + j] = Math.fround((q & 15) * d) + m;
      out[x + j + 16] = Math.fround((q >>> 4) * d) + m;
    }
  }
  return out;
}
