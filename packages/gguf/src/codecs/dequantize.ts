// One dispatch from a ggml type name to its decoder: f32 values from little-endian tensor bytes.
// Decoders only; the encoders are in ./table.ts (FLOAT_CODECS).
import { type BytesLike, toBytes } from "../bytes.js";
import { decodeBF16 } from "./bf16.js";
import { decodeF16 } from "./f16.js";
import { decodeF32 } from "./f32.js";
import { decodeI2_S } from "./i2_s.js";
import { decodeQ2_K } from "./q2_k.js";
import { decodeQ3_K } from "./q3_k.js";
import { decodeQ4_0 } from "./q4_0.js";
import { decodeQ4_1 } from "./q4_1.js";
import { decodeQ4_K } from "./q4_k.js";
import { decodeQ5_0 } from "./q5_0.js";
import { decodeQ5_1 } from "./q5_1.js";
import { decodeQ5_K } from "./q5_k.js";
import { decodeQ6_K } from "./q6_k.js";
import { decodeQ8_0 } from "./q8_0.js";
import { decodeQ8_K } from "./q8_k.js";
import { decodeTQ1_0 } from "./tq1_0.js";
import { decodeTQ2_0 } from "./tq2_0.js";
import { GgufError } from "../errors.js";

/**
 * Every decoder, by ggml type name.
 *
 * @example
 * ```ts
 * DECODERS.Q6_K(bytes, 256); // Float32Array(256)
 * ```
 */
export const DECODERS = {
  F32: decodeF32,
  F16: decodeF16,
  BF16: decodeBF16,
  Q4_0: decodeQ4_0,
  Q4_1: decodeQ4_1,
  Q5_0: decodeQ5_0,
  Q5_1: decodeQ5_1,
  Q8_0: decodeQ8_0,
  Q2_K: decodeQ2_K,
  Q3_K: decodeQ3_K,
  Q4_K: decodeQ4_K,
  Q5_K: decodeQ5_K,
  Q6_K: decodeQ6_K,
  Q8_K: decodeQ8_K,
  TQ1_0: decodeTQ1_0,
  TQ2_0: decodeTQ2_0,
  I2_S: decodeI2_S,
} as const satisfies Record<string, (bytes: Uint8Array, count: number) => Float32Array>;

/**
 * A ggml type name with a decoder.
 *
 * @example
 * ```ts
 * const t: DecodableTypeName = "Q4_K";
 * ```
 */
export type DecodableTypeName = keyof typeof DECODERS;

/**
 * True when `name` has a decoder (a type guard).
 *
 * @example
 * ```ts
 * hasDecoder("Q6_K");    // true
 * hasDecoder("IQ2_XXS"); // false
 * ```
 */
export function hasDecoder(name: string): name is DecodableTypeName {
  return Object.prototype.hasOwnProperty.call(DECODERS, name);
}

/**
 * Decodes `count` elements of ggml type `type` from little-endian bytes, byte-exact with
 * ggml's `dequantize_row_*` (and bitnet.cpp's layout for I2_S). Throws a `GgufError` for
 * a type without a decoder, a count that is not a whole number of blocks, or a byte
 * length that does not match.
 *
 * @example
 * ```ts
 * import { dequantize } from "@bitnet-quantize/gguf/codecs"; // not the main entry's dequantize(file, bytes, name)
 * dequantize("F16", new Uint8Array([0x00, 0x3c]), 1); // Float32Array [1]
 * ```
 */
export function dequantize(type: string, input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "dequantize");
  if (!hasDecoder(type)) {
    throw new GgufError(`dequantize: no decoder for ggml type ${JSON.stringify(type)}; supported: ${Object.keys(DECODERS).join(", ")}`);
  }
  return DECODERS[type](bytes, count);
}
