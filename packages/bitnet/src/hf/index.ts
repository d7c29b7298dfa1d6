// @bitnet-quantize/bitnet/hf: Hugging Face BitNet checkpoints (1bitLLM and bitnet-b1.58-2B-4T layouts)
// in and out of BitNetModel, their tokenizers, and conversion to GGUF. Browser-safe; paths are in "./hf/node".
export { HfCheckpointError } from "./hf-error.js";
export { type HfConfig, type HfLayout, hfConfigJson, readHfConfig } from "./hf-config.js";
export { packHfTernary, unpackHfTernary } from "./packed-ternary.js";
export { type SentencePieceModel, parseSentencePieceModel, writeSentencePieceModel } from "./sentencepiece-model.js";
export { type AddedToken, type BpeEncodeOptions, ByteLevelBpeTokenizer, LLAMA3_PATTERN, byteToUnicode } from "./byte-level-bpe.js";
export { ternaryLatentWeight } from "./ternary-latent.js";
export { type HfCheckpointFiles, type HfTokenizer, type LoadHfOptions, type LoadedHfCheckpoint, loadHfCheckpoint } from "./load-hf.js";
export { type ExportHfOptions, type HfCheckpointOutput, exportHfCheckpoint } from "./export-hf.js";
export { type ConvertHfOptions, convertHfToGguf } from "./convert-hf.js";
