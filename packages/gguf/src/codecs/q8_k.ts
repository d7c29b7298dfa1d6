// Q8_K: super-blocks of 256 int8 codes with an f32 scale d and 16 int16 partial sums (292 bytes).
// ggml's activation type; decoding only, byte-exact with dequantize_row_q8_K (bsums are not read).
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";

/**
 * Bytes per Q8_K block of 256: f32 d, qs i8[256], bsums i16[16].
 * @example
 * ```ts
 * Q8_K_BLOCK_BYTES; // 292
 * ```
 */
export const Q8_K_BLOCK_BYTES = 292;

/**
 * Decodes `count` Q8_K values (`count` a multiple of 256): y = d·qs[e] in f32, d read as a
 * little-endian f32.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(292); new DataView(b.buffer).setFloat32(0, 0.5, true); b[4] = 0xfe; // q = -2
 * decodeQ8_K(b, 256)[0]; // -1
 * ```
 */
export function decodeQ8_K(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ8_K");
  const blocks = checkBlocks("decodeQ8_K", count, 256);
  checkByteLength("decodeQ8_K", bytes, blocks, Q8_K_BLOCK_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q8_K_BLOCK_BYTES;
    const d = view.getFloat32(y, true);
    for (let j = 0; j < 256; j++) out[b * 256 + j] = d * ((bytes[y + 4 + j] << 24) >> 24);
  }
  return out;
}
