// Q5_0: blocks of 32 5-bit codes (low nibbles in qs, fifth bits in qh) with fp16 scale d (22 bytes).
// Decoding only, byte-exact with ggml's dequantize_row_q5_0: value = (q - 16)·d.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";

/**
 * Bytes per Q5_0 block of 32: fp16 d, qh[4] (bit j of the u32 is element j's fifth bit), qs[16].
 * @example
 * ```ts
 * Q5_0_BLOCK_BYTES; // 22
 * ```
 */
export const Q5_0_BLOCK_BYTES = 22;

/**
 * Decodes `count` Q5_0 values (`count` a multiple of 32). With h the little-endian u32 of
 * qh: y[j] = (((qs[j] & 15) | ((h >> j) & 1) << 4) - 16)·d and
 * y[j + 16] = (((qs[j] >> 4) | ((h >> (j + 16)) & 1) << 4) - 16)·d.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(22); b[1] = 0x3c; b[2] = 1; b[6] = 0x0f; // d = 1, bit 0 of qh, qs[0] = 15
 * decodeQ5_0(b, 32)[0]; // 15 (31 - 16)
 * decodeQ5_0(b, 32)[1]; // -16
 * ```
 */
export function decodeQ5_0(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ5_0");
  const blocks = checkBlocks("decodeQ5_0", count, 32);
  checkByteLength("decodeQ5_0", bytes, blocks, Q5_0_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q5_0_BLOCK_BYTES;
    const x = b * 32;
    const d = readF16(bytes, y);
    const h = (bytes[y + 2] | (bytes[y + 3] << 8) | (bytes[y + 4] << 16) | (bytes[y + 5] << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = bytes[y + 6 + j];
      out[x + j] = (((q & 15) | (((h >>> j) & 1) << 4)) - 16) * d;
      out[x + j + 16] = (((q >>> 4) | (((h >>> (j + 16)) & 1) << 4)) - 16) * d;
    }
  }
  return out;
}
