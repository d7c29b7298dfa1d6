// @bitnet-quantize/bitnet: BitNet b1.58 quantizers, straight-through
// estimators, BitLinear and its config; re-exports the packed ternary format.
export { BitNetError, ConfigError, QuantizationError } from "./errors.js";
export { VERSION } from "./version.js";
export type { RoundingMode } from "./rounding.js";
export { roundTensor, roundingFunction } from "./rounding.js";
export type { GroupSize, TernaryOptions, TernaryWeights } from "./quantize-weights.js";
export { absMeanTernary, dequantizeTernary, expandScales } from "./quantize-weights.js";
export type { Int8Activations, Int8Options } from "./quantize-activations.js";
export { absMaxInt8, absMaxInt8Rows, dequantizeInt8, type AbsMaxRowsOptions } from "./quantize-activations.js";
export type { BitNetConfigFields } from "./config.js";
export { BitNetConfig, BitNetConfigBuilder } from "./config.js";
export type { PackedTernary } from "@bitnet-quantize/tensor/quant";
export { packTernary, unpackTernary } from "@bitnet-quantize/tensor/quant";
export { int8STE, int8STEOp, ternarySTE, ternarySTEOp } from "./ste.js";
export type { BitLinearOptions, GgmlWeightScales, PackedWeights, ProjectionInput } from "./bit-linear.js";
export { ARITHMETICS, type Arithmetic } from "./arithmetic.js";
export { ACTIVATION_MODES, kernelActivations, kernelActivationsFromRows, type ActivationMode, type KernelOperands } from "./activation-mode.js";
export { Q8_K_BLOCK, q8KActivations, q8KQuantizeRows, type Q8KActivations } from "./quantize-q8k.js";
export { rmsNormRows, rmsNormTensor } from "./rms-norm.js";
export { BitLinear } from "./bit-linear.js";

// model, tokenizer (issue 7)
export { BigramQueue, BASE_VOCAB_SIZE, SPACE_MARK, SpmTokenizer, TOKEN_TYPE, TokenizerError, bytePiece, trainTokenizer } from "./tokenizer/index.js";
export type { Bigram, DecodeOptions, EncodeOptions, SpmVocab, TokenType, TrainTokenizerOptions } from "./tokenizer/index.js";
export {
  BitNetAttention, BitNetDecoderLayer, BitNetInference, BitNetMLP, BitNetModel, KVCache, applyRope, cachedAttention, cachedAttentionGgml, cachedAttentionGgmlReference, cachedAttentionReference,
  cosfGlibc, cosfGlibcReference, dotF16Ggml, dotF16GgmlReference, dotF32Ggml, dotF32GgmlReference, dotTinyBlas16, dotTinyBlasReference16, expF32Ggml, expF32GgmlReference, ffnActivation, ffnActivationRows, ffnActivationRowsGgml, fmaF32, fmaF32Reference, fmaF64, fmaF64Reference, headDim,
  reduceAdd16, reduceAddReference16, resolveModelConfig, roundToFloat16, ropeInPlace, ropeInPlaceGgml, ropeTables, ropeTablesGgml, ropeTensors, sampleToken, siluF32Ggml,
  sinfGlibc, sinfGlibcReference, ternaryProjection,
} from "./model/index.js";
export type {
  AttentionInputs, AttentionShape, BitNetModelConfig, BitNetModelConfigInput, BitNetModelOptions, GenerateOptions, HiddenActivation, InferenceOptions, InferenceWeights,
  KVCacheType, LayerWeights, RopeTables, SampleOptions, TernaryProjection,
} from "./model/index.js";
