// Q4_K: super-blocks of 256 4-bit codes in 8 groups of 32 with 6-bit scales and mins, and fp16
// d and dmin (144 bytes). Decoding only, byte-exact with ggml's dequantize_row_q4_K.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";
import { readF16 } from "./f16.js";
import { scaleMinK4 } from "./k-scales.js";

/**
 * Bytes per Q4_K block of 256: fp16 d, fp16 dmin, scales[12], qs[128].
 * @example
 * ```ts
 * Q4_K_BLOCK_BYTES; // 144
 * ```
 */
export const Q4_K_BLOCK_BYTES = 144;

/**
 * Decodes `count` Q4_K values (`count` a multiple of 256). Element e = 64c + 32h + l has
 * byte qs[32c + l] (low nibble for h = 0, high for h = 1) and group s = 2c + h; then
 * y = (d·sc)·q − dmin·mn in f32 (separate multiply and subtract, as ggml compiles it).
 *
 * @example
 * ```ts
 * const b = new Uint8Array(144); b[1] = 0x3c; b[3] = 0x3c; b[4] = 2; b[8] = 1; b[16] = 0x35;
 * // d = dmin = 1; group 0: scale 2, min 1; qs[0] = 0x35
 * [decodeQ4_K(b, 256)[0], decodeQ4_K(b, 256)[32]]; // [9, 0] (2·5 − 1; group 1 has scale 0)
 * ```
 */
export function decodeQ4_K(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ4_K");
  const blocks = checkBlocks("decodeQ4_K", count, 256);
  checkByteLength("decodeQ4_K", bytes, blocks, Q4_K_BLOCK_BYTES);
  const out = new Float32Array(count);
  const sm = [0, 0];
  for (let b = 0; b < blocks; b++) {
    const y = b * Q4_K_BLOCK_BYTES;
    const d = readF16(bytes, y);
    const dmin = readF16(bytes, y + 2);
    let o = b * 256;
    for (let c = 0; c < 4; c++) {
      const q = y + 16 + 32 * c;
      scaleMinK4(bytes, y + 4, 2 * c, sm);
      const d1 = Math.fround(d * sm[0]);
      const m1 = Math.fround(dmin * sm[1]);
      scaleMinK4(bytes, y + 4, 2 * c + 1, sm);
      const d2 = Math.fround(d * sm[0]);
      const m2 = Math.fround(dmin * sm[1]);
      for (let l = 0; l < 32; l++) out[o++] = Math.fround(d1 * (bytes[q + l] & 15)) - m1;
      for (let l = 0; l < 32; l++) out[o++] = Math.fround(d2 * (bytes[q + l] >>> 4)) - m2;
    }
  }
  return out;
}
