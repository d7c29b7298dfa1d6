// Q3_K: super-blocks of 256 3-bit codes (2 low bits in qs, the third in hmask) in 16 groups with
// 6-bit signed scales, and an fp16 d (110 bytes). Decoding only, byte-exact with ggml's dequantize_row_q3_K.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";

/**
 * Bytes per Q3_K block of 256: hmask[32], qs[64], scales[12] (16 packed 6-bit scales), fp16 d.
 * @example
 * ```ts
 * Q3_K_BLOCK_BYTES; // 110
 * ```
 */
export const Q3_K_BLOCK_BYTES = 110;

/**
 * The 6-bit scale `s` (0..15) of a Q3_K block, minus 32: lo = s < 8 ? scales[s] & 15 :
 * scales[s − 8] >> 4; hi = (scales[8 + (s & 3)] >> 2·(s >> 2)) & 3; sc = (lo | hi << 4) − 32.
 *
 * @example
 * ```ts
 * q3kScale(new Uint8Array(12).fill(0), 0, 0); // -32
 * ```
 */
export function q3kScale(bytes: Uint8Array, at: number, s: number): number {
  const lo = s < 8 ? bytes[at + s] & 15 : bytes[at + s - 8] >>> 4;
  const hi = (bytes[at + 8 + (s & 3)] >>> (2 * (s >>> 2))) & 3;
  return (lo | (hi << 4)) - 32;
}

/**
 * Decodes `count` Q3_K values (`count` a multiple of 256). Element e = 128n + 32j + 16h + l
 * has q = ((qs[32n + 16h + l] >> 2j) & 3) − (bit 4n + j of hmask[16h + l] ? 0 : 4), group
 * s = 8n + 2j + h, and y = (d·sc(s))·q in f32.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(110); b[0] = 1; b[32] = 3; b[96] = 1; b[104] = 2; b[109] = 0x3c;
 * // hmask bit set, q = 3; scale 0 = (1 | 2 << 4) - 32 = 1; d = 1
 * decodeQ3_K(b, 256)[0]; // 3
 * ```
 */
export function decodeQ3_K(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ3_K");
  const blocks = checkBlocks("decodeQ3_K", count, 256);
  checkByteLength("decodeQ3_K", bytes, blocks, Q3_K_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q3_K_BLOCK_BYTES;
    const d = readF16(bytes, y + 108);
    let o = b * 256;
    let is = 0;
    let m = 1;
    for (let n = 0; n < 2; n++) {
      const q = y + 32 + 32 * n;
      for (let j = 0; j < 4; j++) {
        const shift = 2 * j;
        for (let h = 0; h < 2; h++) {
          const dl = Math.fround(d * q3kScale(bytes, y + 96, is++));
          for (let l = 0; l < 16; l++) {
            const low = (bytes[q + 16 * h + l] >>> shift) & 3;
            const high = bytes[y + 16 * h + l] & m ? 0 : 4;
            out[o++] = dl * (low - high);
          }
        }
        m <<= 1;
      }
    }
  }
  return out;
}
