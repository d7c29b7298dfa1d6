// @bitnet-quantize/bitnet/gguf: GGUF export and import of BitNetModel for
// llama.cpp's `bitnet` architecture (TQ2_0, TQ1_0, F16, F32 projections), over
// bytes in memory: browser-safe. Writing to a file is in "../node" (exportGguf).
export { encodeGguf, type ExportGgufOptions, type GgufWeightType } from "./export-gguf.js";
export { importGguf, type ImportGgufOptions, type ImportedGguf } from "./import-gguf.js";
export { BITNET_CPP_ARCHS, importBitnetCppGguf, type ImportedBitnetCppGguf } from "./import-bitnet-cpp.js";
export { packedProjection } from "./packed-from-gguf.js";
export { ARCH, FILE_TYPE, GgufModelError, NORMS, PROJECTIONS } from "./gguf-names.js";
export { MODEL_CAPS, type ValidatedModelMetadata, validateModelMetadata } from "./model-metadata.js";
