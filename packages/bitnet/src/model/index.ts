// The BitNet b1.58 language model: config, modules, inference with a KV cache, sampling.
export { BitNetAttention, type AttentionInputs } from "./attention.js";
export { BitNetModel, ternaryProjection, type BitNetModelOptions, type GenerateOptions, type TernaryProjection } from "./bitnet-model.js";
export { BitNetDecoderLayer } from "./decoder-layer.js";
export { cachedAttention, cachedAttentionGgml, cachedAttentionGgmlReference, cachedAttentionReference, type AttentionShape } from "./cached-attention.js";
export { ffnActivation, ffnActivationRows, ffnActivationRowsGgml } from "./ffn-activation.js";
export {
  dotF16Ggml, dotF16GgmlReference, dotF32Ggml, dotF32GgmlReference, dotTinyBlas16, dotTinyBlasReference16, expF32Ggml, expF32GgmlReference, fmaF32, fmaF32Reference, reduceAdd16, reduceAddReference16, siluF32Ggml,
} from "./ggml-float.js";
export { fmaF64, fmaF64Reference } from "@bitnet-quantize/tensor";
export { cosfGlibc, cosfGlibcReference, sinfGlibc, sinfGlibcReference } from "./glibc-sincosf.js";
export { BitNetInference, type InferenceOptions, type InferenceWeights, type LayerWeights } from "./inference.js";
export { KVCache, type KVCacheType } from "./kv-cache.js";
export { roundToFloat16 } from "./float16.js";
export { BitNetMLP } from "./mlp.js";
export { headDim, resolveModelConfig, type BitNetModelConfig, type BitNetModelConfigInput, type HiddenActivation } from "./model-config.js";
export { applyRope, ropeInPlace, ropeInPlaceGgml, ropeTables, ropeTablesGgml, ropeTensors, type RopeTables } from "./rope.js";
export { argmax, sampleToken, type SampleOptions } from "./sampling.js";
