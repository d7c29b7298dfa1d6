// @bitnet-quantize/autograd/testing: gradcheck (float64 central differences),
// the OPS table of every differentiable op with its sampling rules, the draw
// helpers and a seeded Draw for sampling OPS cases. No fast-check needed.
export { GradcheckError, gradcheck } from "./gradcheck.js";
export type { GradcheckOptions, GradcheckReport, JacobianEntry } from "./gradcheck.js";
export { generatorDraw } from "./generator-draw.js";
export { OPS } from "../op-table.js";
export { BINARY_GRADIENTS, UNARY_GRADIENTS } from "../primitive-gradients.js";
export type { CoveredOp, OpCase, OpTableEntry } from "../op-table.js";
export { drawBroadcastPair, drawPermutation, drawShape, drawTensor } from "../draw.js";
export type { Draw, DrawShapeOptions, DrawValueOptions } from "../draw.js";
