// @bitnet-quantize/tensor/quant: the packed ternary format, the ternary matmul
// op, and its CPU kernels (the plain reference and the lookup-table kernels).
export { CODES_PER_WORD, packTernaryArray, unpackTernaryArray, wordsPerRow } from "./packed-format.js";
export type { PackedTernary } from "./packed-ternary.js";
export { packTernary, ternaryMatmul, unpackTernary } from "./packed-ternary.js";
export { ternaryMatmulReference } from "./ternary-reference.js";
export type { PreparedTernary } from "./lut-prepare.js";
export { LUT_ENTRIES, LUT_GROUP, prepareBase3 } from "./lut-prepare.js";
export { buildTable, ternaryMatmulLut } from "./ternary-lut.js";
export { ternaryMatmulLutGrouped } from "./lut-grouped.js";
export { ternaryMatmulCpu, ternaryMatmulCpuJs, type TernaryKernel } from "./ternary-matmul.js";
export type { PreparedTernary5 } from "./lut5.js";
export { LUT5_ENTRIES, prepareBase3x5, ternaryMatmulLut5 } from "./lut5.js";
export type { PreparedTernary5Grouped } from "./lut5-grouped.js";
export { prepareBase3x5Grouped, ternaryMatmulLut5Grouped } from "./lut5-grouped.js";
export { ternaryMatmulWasm, ternaryWasmApplies } from "../wasm/ternary-wasm.js";
