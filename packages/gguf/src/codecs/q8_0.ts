// Q8_0: blocks of 32 int8 codes with one fp16 scale d (34 bytes), value = d * q.
// Byte-identical to ggml's quantize_row_q8_0_ref; not the Q8_1 or Q8_K variants.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength, checkFinite } from "./checks.js";
import { f32ToF16Bits, readF16 } from "./f16.js";
import { roundHalfAwayFromZero } from "./rounding.js";

/**
 * Elements per Q8_0 block.
 * @example
 * ```ts
 * Q8_0_BLOCK_SIZE; // 32
 * ```
 */
export const Q8_0_BLOCK_SIZE = 32;
/**
 * Bytes per Q8_0 block: fp16 d, then 32 int8 codes.
 * @example
 * ```ts
 * Q8_0_BLOCK_BYTES; // 34
 * ```
 */
export const Q8_0_BLOCK_BYTES = 34;

/**
 * Quantizes to Q8_0, per block of 32: d = max|x| / 127 in f32, stored as fp16;
 * q = round-half-away(x * (1/d)) with 1/d from the f32 d (0 when d = 0).
 * Throws a `GgufError` for a length that is not a multiple of 32 or a non-finite value.
 *
 * @example
 * ```ts
 * const x = new Float32Array(32); x[0] = 127; x[1] = -63.5;
 * const b = encodeQ8_0(x); // b.length === 34; d = 1 (bytes 0x00 0x3c); b[2] === 127; b[3] === 0xc0 (-64)
 * ```
 */
export function encodeQ8_0(values: Float32Array): Uint8Array {
  const blocks = checkBlocks("encodeQ8_0", values.length, Q8_0_BLOCK_SIZE);
  checkFinite("encodeQ8_0", values);
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const x = b * Q8_0_BLOCK_SIZE;
    const y = b * Q8_0_BLOCK_BYTES;
    let amax = 0;
    for (let j = 0; j < Q8_0_BLOCK_SIZE; j++) amax = Math.max(amax, Math.abs(values[x + j]));
    const d = Math.fround(amax / 127);
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    const dh = f32ToF16Bits(d);
    out[y] = dh & 0xff;
    out[y + 1] = dh >>> 8;
    for (let j = 0; j < Q8_0_BLOCK_SIZE; j++) {
      const q = roundHalfAwayFromZero(Math.fround(values[x + j] * id));
      out[y + 2 + j] = q & 0xff; // two's complement int8
    }
  }
  return out;
}

/**
 * Decodes `count` Q8_0 values (`count` a multiple of 32, `bytes.length` = count / 32 * 34).
 *
 * @example
 * ```ts
 * const b = new Uint8Array(34); b[1] = 0x3c; b[2] = 5; b[3] = 0xff; // d = 1, q = 5, -1, 0...
 * decodeQ8_0(b, 32).subarray(0, 3); // Float32Array [5, -1, 0]
 * ```
 */
export function decodeQ8_0(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeQ8_0");
  const blocks = checkBlocks("decodeQ8_0", count, Q8_0_BLOCK_SIZE);
  checkByteLength("decodeQ8_0", bytes, blocks, Q8_0_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const y = b * Q8_0_BLOCK_BYTES;
    const d = readF16(bytes, y);
    for (let j = 0; j < Q8_0_BLOCK_SIZE; j++) {
      const q = (bytes[y + 2 + j] << 24) >> 24; // sign-extend int8
      out[b * Q8_0_BLOCK_SIZE + j] = q * d;
    }
  }
  return out;
}
