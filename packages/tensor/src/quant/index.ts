// @bitnet-quantize/tensor/quant: the packed ternary format, the ternary matmul
// op, its plain reference and the CPU kernel that dispatches to the lookup-table
// kernels (whose preparation steps are internal: tests import them from src/).
export { CODES_PER_WORD, packTernaryArray, unpackTernaryArray, wordsPerRow } from "./packed-format.js";
export type { PackedTernary } from "./packed-ternary.js";
export { packTernary, ternaryMatmul, ternaryMatmulMany, ternaryMatmulManyInto, unpackTernary } from "./packed-ternary.js";
export { ternaryMatmulReference } from "./ternary-reference.js";
export { ternaryMatmulQ8KGgml, ternaryMatmulQ8KGgmlReference } from "./ternary-q8k-ggml.js";
export { allocPackedWords, packedWordsTensor } from "./packed-words.js";
export { eachProduct, ternaryMatmulCpu, ternaryMatmulManyCpu, type TernaryKernel, type TernaryManyKernel, type TernaryProduct } from "./ternary-matmul.js";
