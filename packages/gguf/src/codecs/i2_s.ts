// I2_S: bitnet.cpp's ternary type (ggml type 36 in its llama.cpp fork): 2-bit codes for the whole
// tensor in blocks of 128, then one f32 scale and 28 padding bytes; the bit layout is written out in the encoder below.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkFinite } from "./checks.js";
import { GgufError } from "../errors.js";
import { roundHalfAwayFromZero } from "./rounding.js";

/**
 * Elements per I2_S code block (the x86 `ACT_PARALLEL` / Python-converter layout, the
 * default; the ARM NEON 64-block and x86 "1x4" layouts of BitNet ≥ 112f853 are not read).
 * @example
 * ```ts
 * I2_S_BLOCK_SIZE; // 128
 * ```
 */
export const I2_S_BLOCK_SIZE = 128;

/**
 * Bytes of an I2_S tensor of `count` elements, as bitnet.cpp's `ggml_nbytes` computes it:
 * count / 4 code bytes, then 32 (the f32 scale and 28 bytes of padding).
 *
 * @example
 * ```ts
 * i2sByteLength(256); // 96
 * ```
 */
export function i2sByteLength(count: number): number {
  return Math.floor(count / 4) + 32;
}

function checkI2sCount(codec: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count % I2_S_BLOCK_SIZE !== 0) {
    throw new GgufError(`${codec}: ${count} elements is not a non-negative multiple of ${I2_S_BLOCK_SIZE}`);
  }
}

/**
 * Decodes an I2_S tensor of `count` elements (a multiple of 128; bytes = count/4 + 32).
 * Element j of block b is code c = (byte[32b + (j mod 32)] >> (6 − 2·⌊j/32⌋)) & 3 and
 * y = (c − 1)·scale, with the scale the f32 at byte count/4. Code 3 (never written)
 * decodes as 2·scale, as bitnet.cpp's kernels would compute it.
 *
 * @example
 * ```ts
 * const b = new Uint8Array(64); b[0] = 0b10_01_00_10; new DataView(b.buffer).setFloat32(32, 0.5, true);
 * const y = decodeI2_S(b, 128);
 * [y[0], y[32], y[64], y[96]]; // [0.5, 0, -0.5, 0.5]
 * ```
 */
export function decodeI2_S(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeI2_S");
  checkI2sCount("decodeI2_S", count);
  if (bytes.length !== i2sByteLength(count)) {
    throw new GgufError(`decodeI2_S: expected ${i2sByteLength(count)} bytes for ${count} elements (count/4 + 32), got ${bytes.length}`);
  }
  const scale = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat32(count / 4, true);
  const out = new Float32Array(count);
  for (let b = 0; b < count / I2_S_BLOCK_SIZE; b++) {
    for (let k = 0; k < 4; k++) {
      const shift = 6 - 2 * k;
      for (let m = 0; m < 32; m++) {
        out[128 * b + 32 * k + m] = (((bytes[32 * b + m] >>> shift) & 3) - 1) * scale;
      }
    }
  }
  return out;
}

/**
 * Encodes ternary-times-scale values as I2_S, as BitNet's Python converter
 * (`quantize_to_i2_s`) does without an override scale: scale = the first nonzero |x|
 * (1 when all are zero), t = clamp(round(x / scale), −1, 1), code 2 if t > 0.5, 0 if
 * t < −0.5, else 1; padding zeroed. `count` must be a multiple of 128.
 *
 * @example
 * ```ts
 * const x = new Float32Array(128); x[0] = 0.5; x[32] = -0.5;
 * decodeI2_S(encodeI2_S(x), 128)[32]; // -0.5
 * ```
 */
export function encodeI2_S(values: Float32Array): Uint8Array {
  checkI2sCount("encodeI2_S", values.length);
  checkFinite("encodeI2_S", values);
  let scale = 0;
  for (const v of values) {
    if (v !== 0) {
      scale = Math.abs(v);
      break;
    }
  }
  if (scale === 0) scale = 1;
  const out = new Uint8Array(i2sByteLength(values.length));
  for (let i = 0; i < values.length; i++) {
    const t = Math.max(-1, Math.min(1, roundHalfAwayFromZero(values[i] / scale)));
    const code = t > 0.5 ? 2 : t < -0.5 ? 0 : 1;
    const b = i >>> 7;
    const j = i & 127;
    out[32 * b + (j & 31)] |= code << (6 - 2 * (j >>> 5));
  }
  new DataView(out.buffer).setFloat32(values.length / 4, scale, true);
  return out;
}
