// Q6_K: super-blocks of 256 6-bit codes (4 bits in ql, 2 in qh) in 16 groups of 16 with int8
// scales, and an fp16 d (210 bytes). Decoding only, byte-exact with ggml's dequantize_row_q6_K.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";

/**
 * Bytes per Q6_K block of 256: ql[128], qh[64], scales i8[16], fp16 d.
 * @example
 * ```ts
 * Q6_K_BLOCK_BYTES; // 210
 * ```
 */
export const Q6_K_BLOCK_BYTES = 210;

/**
 * Decodes `count` Q6_K values (`count` a multiple of 256). Element e = 128n + 32g + l has
 * lo = nibble (g < 2 ? low : high) of ql[64n + 32·(g & 1) + l], hi = (qh[32n + l] >> 2g) & 3,
 * q = (lo | hi << 4) − 32, and y = (d·scales[8n + 2g + (l >> 4)])·q in f32.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(210); b[0] = 0x01; b[128] = 0x02; b[192] = -2 & 0xff; b[209] = 0x3c;
 * // lo = 1, hi = 2 → q = 33 − 32 = 1; scale −2; d = 1
 * decodeQ6_K(b, 256)[0]; // -2
 * ```
 */
export function decodeQ6_K(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ6_K");
  const blocks = checkBlocks("decodeQ6_K", count, 256);
  checkByteLength("decodeQ6_K", bytes, blocks, Q6_K_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q6_K_BLOCK_BYTES;
    const d = readF16(bytes, y + 208);
    for (let n = 0; n < 2; n++) {
      const ql = y + 64 * n;
      const qh = y + 128 + 32 * n;
      const sc = y + 192 + 8 * n;
      const o = b * 256 + 128 * n;
      for (let l = 0; l < 32; l++) {
        const is = l >>> 4;
        const h = bytes[qh + l];
        const a = bytes[ql + l];
        const c = bytes[ql + l + 32];
        const q1 = ((a & 15) | ((h & 3) << 4)) - 32;
        const q2 = ((c & 15) | (((h >>> 2) & 3) << 4)) - 32;
        const q3 = ((a >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
        const q4 = ((c >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
        out[o + l] = Math.fround(d * ((bytes[sc + is] << 24) >> 24)) * q1;
        out[o + l + 32] = Math.fround(d * ((bytes[sc + is + 2] << 24) >> 24)) * q2;
        out[o + l + 64] = Math.fround(d * ((bytes[sc + is + 4] << 24) >> 24)) * q3;
        out[o + l + 96] = Math.fround(d * ((bytes[sc + is + 6] << 24) >> 24)) * q4;
      }
    }
  }
  return out;
}
