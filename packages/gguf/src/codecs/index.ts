// @bitnet-quantize/gguf/codecs: f32 <-> ggml tensor bytes for F32, F16, BF16, Q8_0, TQ1_0, TQ2_0, I2_S;
// decoders (f32 from bytes) for Q4_0, Q4_1, Q5_0, Q5_1, Q2_K..Q6_K and Q8_K too.
// Pure functions over typed arrays; no file format here (that is the package's main entry).
export { decodeBF16, encodeBF16, bf16BitsToF32, f32BitsToBf16Bits } from "./bf16.js";
export { decodeF16, encodeF16, f16BitsToF32, f32BitsToF16Bits, f32ToF16Bits, readF16 } from "./f16.js";
export { decodeF32, encodeF32 } from "./f32.js";
export { decodeQ8_0, encodeQ8_0, Q8_0_BLOCK_BYTES, Q8_0_BLOCK_SIZE } from "./q8_0.js";
export { decodeTQ1_0, encodeTQ1_0, packTrits, unpackTrit, TQ1_0_BLOCK_BYTES, TQ1_0_BLOCK_SIZE } from "./tq1_0.js";
export { decodeTQ2_0, encodeTQ2_0, TQ2_0_BLOCK_BYTES, TQ2_0_BLOCK_SIZE } from "./tq2_0.js";
export { roundHalfAwayFromZero } from "./rounding.js";
export { FLOAT_CODECS, hasCodec, type CodecTypeName, type FloatCodec } from "./table.js";
export { decodeQ4_0, Q4_0_BLOCK_BYTES } from "./q4_0.js";
export { decodeQ4_1, Q4_1_BLOCK_BYTES } from "./q4_1.js";
export { decodeQ5_0, Q5_0_BLOCK_BYTES } from "./q5_0.js";
export { decodeQ5_1, Q5_1_BLOCK_BYTES } from "./q5_1.js";
export { decodeQ2_K, Q2_K_BLOCK_BYTES } from "./q2_k.js";
export { decodeQ3_K, q3kScale, Q3_K_BLOCK_BYTES } from "./q3_k.js";
export { decodeQ4_K, Q4_K_BLOCK_BYTES } from "./q4_k.js";
export { decodeQ5_K, Q5_K_BLOCK_BYTES } from "./q5_k.js";
export { decodeQ6_K, Q6_K_BLOCK_BYTES } from "./q6_k.js";
export { decodeQ8_K, Q8_K_BLOCK_BYTES } from "./q8_k.js";
export { scaleMinK4 } from "./k-scales.js";
export { decodeI2_S, encodeI2_S, i2sByteLength, I2_S_BLOCK_SIZE } from "./i2_s.js";
export { DECODERS, dequantize, hasDecoder, type DecodableTypeName } from "./dequantize.js";
