// Q2_K: super-blocks of 256 2-bit codes in 16 groups of 16, each group with a 4-bit scale and
// 4-bit min, and fp16 d and dmin (84 bytes). Decoding only, byte-exact with ggml's dequantize_row_q2_K.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";

/**
 * Bytes per Q2_K block of 256: scales[16] (low nibble scale, high nibble min), qs[64], fp16 d, fp16 dmin.
 * @example
 * ```ts
 * Q2_K_BLOCK_BYTES; // 84
 * ```
 */
export const Q2_K_BLOCK_BYTES = 84;

/**
 * Decodes `count` Q2_K values (`count` a multiple of 256). Element e = 128n + 32j + 16h + l
 * has q = (qs[32n + 16h + l] >> 2j) & 3 and group s = 8n + 2j + h; then
 * y = (d·(scales[s] & 15))·q − dmin·(scales[s] >> 4), every step in f32.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(84); b[0] = 0x12; b[16] = 3; b[81] = 0x3c; b[83] = 0x3c; // scale 2, min 1, q = 3, d = dmin = 1
 * decodeQ2_K(b, 256)[0]; // 5 (2·3 − 1)
 * ```
 */
export function decodeQ2_K(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ2_K");
  const blocks = checkBlocks("decodeQ2_K", count, 256);
  checkByteLength("decodeQ2_K", bytes, blocks, Q2_K_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q2_K_BLOCK_BYTES;
    const d = readF16(bytes, y + 80);
    const dmin = readF16(bytes, y + 82);
    let o = b * 256;
    let is = 0;
    for (let n = 0; n < 2; n++) {
      const q = y + 16 + 32 * n;
      for (let j = 0; j < 4; j++) {
        const shift = 2 * j;
        for (let h = 0; h < 2; h++) {
          const sc = bytes[y + is++];
          const dl = Math.fround(d * (sc & 15));
          const ml = Math.fround(dmin * (sc >>> 4));
          for (let l = 0; l < 16; l++) out[o++] = Math.fround(dl * ((bytes[q + 16 * h + l] >>> shift) & 3)) - ml;
        }
      }
    }
  }
  return out;
}
