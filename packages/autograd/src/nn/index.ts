// @bitnet-quantize/autograd/nn: Module and the layers, activations, losses
// and initializers built on it, following PyTorch's semantics and defaults.
export { Module } from "./module.js";
export { ModuleBuffer, buffer } from "./buffer.js";
export type { AnyModule, LoadStateDictOptions } from "./module.js";
export { Linear } from "./linear.js";
export type { LinearOptions } from "./linear.js";
export { Embedding } from "./embedding.js";
export { RMSNorm, rmsNorm } from "./rms-norm.js";
export type { RMSNormFunctionOptions, RMSNormOptions } from "./rms-norm.js";
export { LayerNorm } from "./layer-norm.js";
export type { LayerNormOptions } from "./layer-norm.js";
export { Dropout } from "./dropout.js";
export type { DropoutOptions } from "./dropout.js";
export { Sequential } from "./sequential.js";
export type { Layer } from "./sequential.js";
export { GELU, ReLU, ReLU2, SiLU, gelu, relu2, silu } from "./activations.js";
export type { GeluApproximation } from "./activations.js";
export { crossEntropy, mse } from "./losses.js";
export type { CrossEntropyOptions, MseOptions, Reduction } from "./losses.js";
export {
  calculateGain, computeFans, kaimingNormal, kaimingUniform, normal, uniform, xavierNormal, xavierUniform,
} from "./init.js";
export type { FanMode, InitOptions, KaimingOptions, Nonlinearity, XavierOptions } from "./init.js";
export { trailingAxes } from "./norm-shape.js";
