// The codec table: which ggml types this package can encode from f32 (and decode back).
// Decode-only types (Q4_0 ... Q8_K) are in ./dequantize.ts.
// A lookup by type name, not a registry: nothing is added at run time.
import { decodeBF16, encodeBF16 } from "./bf16.js";
import { decodeF16, encodeF16 } from "./f16.js";
import { decodeF32, encodeF32 } from "./f32.js";
import { decodeI2_S, encodeI2_S } from "./i2_s.js";
import { decodeQ8_0, encodeQ8_0 } from "./q8_0.js";
import { decodeTQ1_0, encodeTQ1_0 } from "./tq1_0.js";
import { decodeTQ2_0, encodeTQ2_0 } from "./tq2_0.js";

/**
 * An encoder from f32 values to little-endian ggml bytes, and its decoder.
 *
 * @example
 * ```ts
 * const codec: FloatCodec = FLOAT_CODECS.F16;
 * codec.decode(codec.encode(new Float32Array([0.5])), 1); // Float32Array [0.5]
 * ```
 */
export interface FloatCodec {
  readonly encode: (values: Float32Array) => Uint8Array;
  readonly decode: (bytes: Uint8Array, count: number) => Float32Array;
}

/**
 * The ggml types with a codec, by name.
 *
 * @example
 * ```ts
 * FLOAT_CODECS.TQ2_0.encode(new Float32Array(256)).length; // 66
 * ```
 */
export const FLOAT_CODECS = {
  F32: { encode: encodeF32, decode: decodeF32 },
  F16: { encode: encodeF16, decode: decodeF16 },
  BF16: { encode: encodeBF16, decode: decodeBF16 },
  Q8_0: { encode: encodeQ8_0, decode: decodeQ8_0 },
  TQ1_0: { encode: encodeTQ1_0, decode: decodeTQ1_0 },
  TQ2_0: { encode: encodeTQ2_0, decode: decodeTQ2_0 },
  I2_S: { encode: encodeI2_S, decode: decodeI2_S },
} as const satisfies Record<string, FloatCodec>;

/**
 * A ggml type name that has a codec.
 *
 * @example
 * ```ts
 * const t: CodecTypeName = "Q8_0";
 * ```
 */
export type CodecTypeName = keyof typeof FLOAT_CODECS;

/**
 * True when `name` has a codec (a type guard).
 *
 * @example
 * ```ts
 * hasCodec("TQ1_0"); // true
 * hasCodec("Q4_K");  // false
 * ```
 */
export function hasCodec(name: string): name is CodecTypeName {
  return Object.prototype.hasOwnProperty.call(FLOAT_CODECS, name);
}
