// @bitnet-quantize/autograd/testing: gradcheck (float64 central differences)
// and a seeded Draw for sampling OPS cases. No fast-check needed.
export { GradcheckError, gradcheck } from "./gradcheck.js";
export type { GradcheckOptions, GradcheckReport, JacobianEntry } from "./gradcheck.js";
export { generatorDraw } from "./generator-draw.js";
