// @bitnet-quantize/autograd: reverse-mode automatic differentiation on
// @bitnet-quantize/tensor. Var and param, the engine, noGrad, every
// differentiable op (one file each in ops/) and defineOp for your own.
// Modules, optimizers are in ./nn, ./optim; gradcheck, the OPS table and the
// draw helpers in ./testing.
export { Var, param } from "./var.js";
export type { ParamOptions, VarInit, VarInput, VarLike } from "./var.js";
export { AutogradError } from "./errors.js";
export { VERSION } from "./version.js";
export { enableGrad, isGradEnabled, noGrad } from "./grad-mode.js";
export { backward, topologicalOrder } from "./engine.js";
export type { BackwardOptions } from "./engine.js";
export type { GradNode } from "./node.js";
export { OpContext, defineOp, isOp } from "./op.js";
export type { Grads, Lift, LiftedArgs, Op, OpDefinition } from "./op.js";
export { sumToShape } from "./sum-to-shape.js";

export { abs, absOp } from "./ops/abs.js";
export { add, addOp } from "./ops/add.js";
export { cast, castOp } from "./ops/cast.js";
export { clamp, clampOp } from "./ops/clamp.js";
export { concat, concatOp } from "./ops/concat.js";
export { cos, cosOp } from "./ops/cos.js";
export { div, divOp } from "./ops/div.js";
export { erf, erfOp } from "./ops/erf.js";
export { exp, expOp } from "./ops/exp.js";
export { expand, expandOp } from "./ops/expand.js";
export { flatten, flattenOp } from "./ops/flatten.js";
export { gather, gatherOp } from "./ops/gather.js";
export { indexSelect, indexSelectOp } from "./ops/index-select.js";
export { linear, linearOp } from "./ops/linear.js";
export { log, logOp } from "./ops/log.js";
export { logSoftmax, logSoftmaxOp } from "./ops/log-softmax.js";
export { matmul, matmulOp } from "./ops/matmul.js";
export { max, maxOp } from "./ops/max.js";
export { maximum, maximumOp } from "./ops/maximum.js";
export { mean, meanOp } from "./ops/mean.js";
export { min, minOp } from "./ops/min.js";
export { minimum, minimumOp } from "./ops/minimum.js";
export { mul, mulOp } from "./ops/mul.js";
export { narrow, narrowOp } from "./ops/narrow.js";
export { neg, negOp } from "./ops/neg.js";
export { permute, permuteOp } from "./ops/permute.js";
export { pow, powOp } from "./ops/pow.js";
export { relu, reluOp } from "./ops/relu.js";
export { reshape, reshapeOp } from "./ops/reshape.js";
export { rsqrt, rsqrtOp } from "./ops/rsqrt.js";
export { sigmoid, sigmoidOp } from "./ops/sigmoid.js";
export { sin, sinOp } from "./ops/sin.js";
export { slice, sliceOp } from "./ops/slice.js";
export { softmax, softmaxOp } from "./ops/softmax.js";
export { chunk, split } from "./ops/split.js";
export { sqrt, sqrtOp } from "./ops/sqrt.js";
export { squeeze, squeezeOp } from "./ops/squeeze.js";
export { stack, stackOp } from "./ops/stack.js";
export { sub, subOp } from "./ops/sub.js";
export { sum, sumOp } from "./ops/sum.js";
export { tanh, tanhOp } from "./ops/tanh.js";
export { transpose, transposeOp } from "./ops/transpose.js";
export { unsqueeze, unsqueezeOp } from "./ops/unsqueeze.js";
export { variance, varianceOp } from "./ops/variance.js";
export { where, whereOp } from "./ops/where.js";
