// TQ1_0: llama.cpp's base-3 ternary blocks: 256 codes in qs[48] and qh[4], then fp16 d (54 bytes).
// Byte-identical to ggml's quantize_row_tq1_0_ref; the block layout is written out in the encoder below.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength, checkFinite } from "./checks.js";
import { f32ToF16Bits, readF16 } from "./f16.js";
import { roundHalfAwayFromZero } from "./rounding.js";

/**
 * Elements per TQ1_0 block (QK_K).
 * @example
 * ```ts
 * TQ1_0_BLOCK_SIZE; // 256
 * ```
 */
export const TQ1_0_BLOCK_SIZE = 256;
/**
 * Bytes per TQ1_0 block: qs[48], qh[4], then fp16 d.
 * @example
 * ```ts
 * TQ1_0_BLOCK_BYTES; // 54
 * ```
 */
export const TQ1_0_BLOCK_BYTES = 54;

const POW3 = [1, 3, 9, 27, 81, 243] as const;

/**
 * Packs base-3 codes (0, 1 or 2; the first is the most significant trit) into one
 * byte as ceil(v * 256 / 243). Four codes get a fifth, zero trit at the bottom.
 *
 * @example
 * ```ts
 * packTrits([2, 1, 0, 2, 1]); // 207 (trits 1, 0, -1, 1, 0)
 * ```
 */
export function packTrits(codes: readonly number[]): number {
  let v = 0;
  for (const c of codes) v = v * 3 + c;
  if (codes.length === 4) v *= 3;
  return Math.floor((v * 256 + 242) / 243);
}

/**
 * Code n (0..4, most significant first) of a packed byte: ((b * 3^n) mod 256) * 3 >> 8.
 *
 * @example
 * ```ts
 * unpackTrit(207, 0); // 2
 * unpackTrit(207, 2); // 0
 * ```
 */
export function unpackTrit(byte: number, n: number): number {
  const q = (byte * POW3[n]) & 0xff;
  return (q * 3) >>> 8;
}

/**
 * Quantizes to TQ1_0, per block of 256, with the same d and code rules as TQ2_0
 * (d = max|x| as fp16; c = round-half-away(x / d) + 1; all-zero block: d = 0, codes 1).
 * Byte qs[m] (m < 32) holds elements m + 32n, byte qs[32 + m] (m < 16) holds
 * 160 + m + 16n (n = 0..4), and qh[j] holds 240 + j + 4n (n = 0..3).
 * Throws a `GgufError` for a length that is not a multiple of 256 or a non-finite value.
 *
 * @example
 * ```ts
 * const x = new Float32Array(256); x[0] = 1; x[32] = 0; x[64] = -1; x[96] = 1; x[128] = 0;
 * encodeTQ1_0(x)[0]; // 207
 * ```
 */
export function encodeTQ1_0(values: Float32Array): Uint8Array {
  const blocks = checkBlocks("encodeTQ1_0", values.length, TQ1_0_BLOCK_SIZE);
  checkFinite("encodeTQ1_0", values);
  const out = new Uint8Array(blocks * TQ1_0_BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const x = b * TQ1_0_BLOCK_SIZE;
    const y = b * TQ1_0_BLOCK_BYTES;
    let amax = 0;
    for (let j = 0; j < TQ1_0_BLOCK_SIZE; j++) amax = Math.max(amax, Math.abs(values[x + j]));
    const d = amax;
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    const code = (i: number): number => roundHalfAwayFromZero(Math.fround(values[x + i] * id)) + 1;
    // Elements 0..159: 32 bytes, 5 trits each, stride 32.
    for (let m = 0; m < 32; m++) {
      let v = 0;
      for (let n = 0; n < 5; n++) v = v * 3 + code(m + 32 * n);
      out[y + m] = Math.floor((v * 256 + 242) / 243);
    }
    // Elements 160..239: 16 bytes, 5 trits each, stride 16.
    for (let m = 0; m < 16; m++) {
      let v = 0;
      for (let n = 0; n < 5; n++) v = v * 3 + code(160 + m + 16 * n);
      out[y + 32 + m] = Math.floor((v * 256 + 242) / 243);
    }
    // Elements 240..255: 4 bytes, 4 trits each, stride 4, then a zero trit at the bottom.
    for (let j = 0; j < 4; j++) {
      let v = 0;
      for (let n = 0; n < 4; n++) v = v * 3 + code(240 + j + 4 * n);
      v *= 3;
      out[y + 48 + j] = Math.floor((v * 256 + 242) / 243);
    }
    const dh = f32ToF16Bits(d);
    out[y + 52] = dh & 0xff;
    out[y + 53] = dh >>> 8;
  }
  return out;
}

/**
 * Decodes `count` TQ1_0 values: x = (c - 1) * d (`count` a multiple of 256,
 * `bytes.length` = count / 256 * 54).
 *
 * @example
 * ```ts
 * const b = new Uint8Array(54); b[0] = 207; b[53] = 0x3c; // d = 1
 * [0, 32, 64, 96, 128].map((i) => decodeTQ1_0(b, 256)[i]); // [1, 0, -1, 1, 0]
 * ```
 */
export function decodeTQ1_0(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeTQ1_0");
  const blocks = checkBlocks("decodeTQ1_0", count, TQ1_0_BLOCK_SIZE);
  checkByteLength("decodeTQ1_0", bytes, blocks, TQ1_0_BLOCK_BYTES);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const x = b * TQ1_0_BLOCK_SIZE;
    const y = b * TQ1_0_BLOCK_BYTES;
    const d = readF16(bytes, y + 52);
    for (let n = 0; n < 5; n++) {
      for (let m = 0; m < 32; m++) out[x + 32 * n + m] = (unpackTrit(bytes[y + m], n) - 1) * d;
      for (let m = 0; m < 16; m++) out[x + 160 + 16 * n + m] = (unpackTrit(bytes[y + 32 + m], n) - 1) * d;
    }
    for (let n = 0; n < 4; n++) {
      for (let j = 0; j < 4; j++) out[x + 240 + 4 * n + j] = (unpackTrit(bytes[y + 48 + j], n) - 1) * d;
    }
  }
  return out;
}
