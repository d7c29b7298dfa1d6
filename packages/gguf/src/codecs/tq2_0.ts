// TQ2_0: llama.cpp's 2-bit ternary blocks: 256 codes (c = t + 1) in qs[64], then fp16 d (66 bytes).
// Byte-identical to ggml's quantize_row_tq2_0_ref; the block layout is written out in the encoder below.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength, checkFinite } from "./checks.js";
import { f32ToF16Bits, readF16 } from "./f16.js";
import { roundHalfAwayFromZero } from "./rounding.js";

/**
 * Elements per TQ2_0 block (QK_K).
 * @example
 * ```ts
 * TQ2_0_BLOCK_SIZE; // 256
 * ```
 */
export const TQ2_0_BLOCK_SIZE = 256;
/**
 * Bytes per TQ2_0 block: qs[64], then fp16 d.
 * @example
 * ```ts
 * TQ2_0_BLOCK_BYTES; // 66
 * ```
 */
export const TQ2_0_BLOCK_BYTES = 66;

/**
 * Quantizes to TQ2_0, per block of 256: d = max|x| in f32, stored as fp16; code
 * c = round-half-away(x * (1/d)) + 1 with 1/d from the f32 d (0 when d = 0, so an
 * all-zero block gets d = 0 and every code 1). In half h (h = 0, 1), byte qs[32h + m]
 * holds element 128h + 32n + m in bits 2n..2n+1 (n = 0..3, least significant first).
 * Throws a `GgufError` for a length that is not a multiple of 256 or a non-finite value.
 *
 * @example
 * ```ts
 * const x = new Float32Array(256); x[0] = 1; x[32] = 0; x[64] = -1; x[96] = 1;
 * encodeTQ2_0(x)[0]; // 0x86: codes 2, 1, 0, 2 from the least significant bits up
 * ```
 */
export function encodeTQ2_0(values: Float32Array): Uint8Array {
  const blocks = checkBlocks("encodeTQ2_0", values.length, TQ2_0_BLOCK_SIZE);
  checkFinite("encodeTQ2_0", values);
  const out = new Uint8Array(blocks * TQ2_0_BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const x = b * TQ2_0_BLOCK_SIZE;
    const y = b * TQ2_0_BLOCK_BYTES;
    let amax = 0;
    for (let j = 0; j < TQ2_0_BLOCK_SIZE; j++) amax = Math.max(amax, Math.abs(values[x + j]));
    const d = amax; // already an f32 value
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    for (let h = 0; h < 2; h++) {
      for (let m = 0; m < 32; m++) {
        let q = 0;
        for (let n = 0; n < 4; n++) {
          const c = roundHalfAwayFromZero(Math.fround(values[x + 128 * h + 32 * n + m] * id)) + 1;
          q += (c & 3) << (2 * n);
        }
        out[y + 32 * h + m] = q;
      }
    }
    const dh = f32ToF16Bits(d);
    out[y + 64] = dh & 0xff;
    out[y + 65] = dh >>> 8;
  }
  return out;
}

/**
 * Decodes `count` TQ2_0 values: x = (c - 1) * d (`count` a multiple of 256,
 * `bytes.length` = count / 256 * 66). Code 3, never written, decodes to 2d as in ggml.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(66); b[0] = 0x86; b[65] = 0x3c; // d = 1
 * Array.from(decodeTQ2_0(b, 256).filter((_, i) => i % 32 === 0).subarray(0, 4)); // [1, 0, -1, 1]
 * ```
 */
export function decodeTQ2_0(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeTQ2_0");
  const blocks = checkBlocks("decodeTQ2_0", count, TQ2_0_BLOCK_SIZE);
  checkByteLength("decodeTQ2_0", bytes, blocks, TQ2_0_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const x = b * TQ2_0_BLOCK_SIZE;
    const y = b * TQ2_0_BLOCK_BYTES;
    const d = readF16(bytes, y + 64);
    for (let h = 0; h < 2; h++) {
      for (let n = 0; n < 4; n++) {
        for (let m = 0; m < 32; m++) {
          const c = (bytes[y + 32 * h + m] >>> (2 * n)) & 3;
          out[x + 128 * h + 32 * n + m] = (c - 1) * d;
        }
      }
    }
  }
  return out;
}
