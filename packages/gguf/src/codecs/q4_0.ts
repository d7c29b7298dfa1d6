// Q4_0: blocks of 32 4-bit codes with one fp16 scale d (18 bytes), value = (q - 8) * d.
// Decoding only, byte-exact with ggml's dequantize_row_q4_0 (f32 arithmetic, no FMA).
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";

/**
 * Bytes per Q4_0 block of 32: fp16 d, then qs[16] (element j in the low nibble of qs[j], j + 16 in the high one).
 * @example
 * ```ts
 * Q4_0_BLOCK_BYTES; // 18
 * ```
 */
export const Q4_0_BLOCK_BYTES = 18;

/**
 * Decodes `count` Q4_0 values (`count` a multiple of 32): y[j] = ((qs[j] & 15) - 8)·d,
 * y[j + 16] = ((qs[j] >> 4) - 8)·d. Throws a `GgufError` for a bad count or byte length.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(18); b[1] = 0x3c; b[2] = 0x9f; // d = 1; qs[0] = 0x9f
 * decodeQ4_0(b, 32)[0];  // 7  (0xf - 8)
 * decodeQ4_0(b, 32)[16]; // 1  (0x9 - 8)
 * ```
 */
export function decodeQ4_0(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ4_0");
  const blocks = checkBlocks("decodeQ4_0", count, 32);
  checkByteLength("decodeQ4_0", bytes, blocks, Q4_0_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q4_0_BLOCK_BYTES;
    const x = b * 32;
    const d = readF16(bytes, y);
    for (let j = 0; j < 16; j++) {
      const q = bytes[y + 2 + j];
      out[x + j] = ((q & 15) - 8) * d;
      out[x + j + 16] = ((q >>> 4) - 8) * d;
    }
  }
  return out;
}
