// Q5_K: super-blocks of 256 5-bit codes (4 bits in qs, the fifth in qh) in 8 groups of 32 with 6-bit
// scales and mins, and fp16 d and dmin (176 bytes). Decoding only, byte-exact with ggml's dequantize_row_q5_K.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";
import { scaleMinK4 } from "./k-scales.js";

/**
 * Bytes per Q5_K block of 256: fp16 d, fp16 dmin, scales[12], qh[32], qs[128].
 * @example
 * ```ts
 * Q5_K_BLOCK_BYTES; // 176
 * ```
 */
export const Q5_K_BLOCK_BYTES = 176;

/**
 * Decodes `count` Q5_K values (`count` a multiple of 256): as Q4_K, plus 16 when bit
 * 2c + h of qh[l] is set, for element e = 64c + 32h + l.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(176); b[1] = 0x3c; b[4] = 1; b[16] = 1; b[48] = 0x03;
 * // d = 1, dmin = 0; group 0 scale 1; qh[0] bit 0; qs[0] = 3
 * decodeQ5_K(b, 256)[0]; // 19
 * ```
 */
export function decodeQ5_K(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ5_K");
  const blocks = checkBlocks("decodeQ5_K", count, 256);
  checkByteLength("decodeQ5_K", bytes, blocks, Q5_K_BLOCK_BYTES);
  const out = new Float32Array(count);
  const sm = [0, 0];
  for (let b = 0; b < blocks; b++) {
    const y = b * Q5_K_BLOCK_BYTES;
    const d = readF16(bytes, y);
    const dmin = readF16(bytes, y + 2);
    const qh = y + 16;
    let o = b * 256;
    for (let c = 0; c < 4; c++) {
      const q = y + 48 + 32 * c;
      const u1 = 1 << (2 * c);
      const u2 = 2 << (2 * c);
      scaleMinK4(bytes, y + 4, 2 * c, sm);
      const d1 = Math.fround(d * sm[0]);
      const m1 = Math.fround(dmin * sm[1]);
      scaleMinK4(bytes, y + 4, 2 * c + 1, sm);
      const d2 = Math.fround(d * sm[0]);
      const m2 = Math.fround(dmin * sm[1]);
      for (let l = 0; l < 32; l++) out[o++] = Math.fround(d1 * ((bytes[q + l] & 15) + (bytes[qh + l] & u1 ? 16 : 0))) - m1;
      for (let l = 0; l < 32; l++) out[o++] = Math.fround(d2 * ((bytes[q + l] >>> 4) + (bytes[qh + l] & u2 ? 16 : 0))) - m2;
    }
  }
  return out;
}
