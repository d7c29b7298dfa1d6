// @bitnet-quantize/tensor/quant: the packed ternary format and its kernels.
export { CODES_PER_WORD, packTernaryArray, unpackTernaryArray, wordsPerRow } from "./packed-format.js";
export { ternaryMatmulReference } from "./ternary-reference.js";
export { ternaryMatmulCpu } from "./ternary-matmul.js";
