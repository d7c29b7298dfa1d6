// @bitnet-quantize/gguf/codecs: f32 <-> ggml tensor bytes for F32, F16, BF16, Q8_0, TQ1_0, TQ2_0.
// Pure functions over typed arrays; no file format here (that is the package's main entry).
export { decodeBF16, encodeBF16, bf16BitsToF32, f32BitsToBf16Bits } from "./bf16.js";
export { decodeF16, encodeF16, f16BitsToF32, f32BitsToF16Bits, f32ToF16Bits, readF16 } from "./f16.js";
export { decodeF32, encodeF32 } from "./f32.js";
export { decodeQ8_0, encodeQ8_0, Q8_0_BLOCK_BYTES, Q8_0_BLOCK_SIZE } from "./q8_0.js";
export { decodeTQ1_0, encodeTQ1_0, packTrits, unpackTrit, TQ1_0_BLOCK_BYTES, TQ1_0_BLOCK_SIZE } from "./tq1_0.js";
export { decodeTQ2_0, encodeTQ2_0, TQ2_0_BLOCK_BYTES, TQ2_0_BLOCK_SIZE } from "./tq2_0.js";
export { roundHalfAwayFromZero } from "./rounding.js";
export { FLOAT_CODECS, hasCodec, type CodecTypeName, type FloatCodec } from "./table.js";
