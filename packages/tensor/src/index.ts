// @bitnet-quantize/tensor: dtypes, shapes, Tensor, the Backend interface, the
// CPU backend, creation and random functions, and every tensor op.
export type { DType, DTypeMap, DTypeInfo, TypedArray } from "./dtype.js";
export { ALL_DTYPES, DTYPE_INFO, allocTyped, dtypeOfArray, isFloat, promoteTypes, promoteWithScalar } from "./dtype.js";
export { ArgumentError, BackendError, DTypeError, ShapeError, TensorError, fmtShape } from "./errors.js";
export { VERSION } from "./version.js";
export type { BrandInfo } from "./brand.js";
export { Brand, BrandError } from "./brand.js";
export type { Shape } from "./shape.js";
export { MAX_ELEMENTS, broadcastShapes, contiguousStrides, normalizeAxes, normalizeAxis, numel, shapesEqual } from "./shape.js";
export type { Layout } from "./layout.js";
export { contiguousLayout, isContiguous } from "./layout.js";
export type { Backend, BinaryOp, ReduceOp, Storage, TernaryMatmulArgs, TernaryMatmulManyArgs, UnaryOp, View } from "./backend.js";
export type { CpuBackendOptions } from "./cpu/cpu-backend.js";
export { CpuStorage, cpuBackend } from "./cpu/cpu-backend.js";
export { defaultCpuBackend, getBackend, setBackend } from "./backend-registry.js";
export { wasmSimdSupported } from "./wasm/wasm-kernels.js";
export { siluMulF32, siluMulF32Reference } from "./wasm/silu-wasm.js";
export { rmsNormRowsF32, rmsNormRowsF32Reference } from "./wasm/rms-norm-wasm.js";
export { type HeadsLayout, headDotsF64, headDotsF64Reference, headWeightedSumF64, headWeightedSumF64Reference } from "./wasm/attention-heads.js";
export { roundFloat16Range, roundFloat16RangeReference } from "./wasm/float16-round.js";
export {
  type Int8Rounding, absMaxRange, absMaxRangeReference, quantizeInt8Range, quantizeInt8RangeF32, quantizeInt8RangeF32Reference, quantizeInt8RangeReference,
} from "./wasm/int8-rows.js";
export { residentFloat32, rowDotsF64, rowDotsF64Reference, weightedRowSumF64, weightedRowSumF64Reference } from "./wasm/row-dots.js";
export { roundHalfAway, roundHalfEven } from "./rounding.js";
export { fmaF32, fmaF32Reference } from "./scalar/fma-f32.js";
export { fmaF64, fmaF64Reference } from "./scalar/fma-f64.js";
export type { NestedArray } from "./format.js";
export { Tensor, fromStorage, sameBackend } from "./tensor.js";
export { keep, scopeDepth, tidy } from "./scope.js";
export type { ReduceOptions, TensorLike } from "./tensor.js";
export type { TensorData } from "./creation.js";
export { arange, eye, full, linspace, ones, onesLike, tensor, zeros, zerosLike } from "./creation.js";
export type { RandomOptions } from "./random.js";
export { Generator, manualSeed, rand, randint, randn } from "./random.js";
export {
  abs, add, ceil, clamp, cos, div, eq, erf, exp, floor, ge, gt, le, log, lt, maximum, minimum, mul, ne, neg, pow, relu,
  round, rsqrt, sigmoid, sign, sin, sqrt, sub, tanh, where,
} from "./ops/elementwise.js";
export { type Checked, deferCheck, settleChecks } from "./deferred-checks.js";
export type { OpTolerance, UnaryDTypeRule, UnaryOpInfo } from "./ops/unary-ops.js";
export { UNARY_OPS, UNARY_OP_NAMES, isFloatOnlyUnary } from "./ops/unary-ops.js";
export type { BinaryDTypeRule, BinaryOpInfo } from "./ops/binary-ops.js";
export type { ReduceDTypeRule, ReduceOpInfo } from "./ops/reduce-ops.js";
export { REDUCE_OPS, REDUCE_OP_NAMES } from "./ops/reduce-ops.js";
export { BINARY_OPS, BINARY_OP_NAMES } from "./ops/binary-ops.js";
export type { VarOptions } from "./ops/reduce.js";
export { argmax, argmin, max, mean, min, prod, sum, variance } from "./ops/reduce.js";
export { matmul } from "./ops/matmul.js";
export { logSoftmax, softmax } from "./ops/softmax.js";
export { gather, indexSelect, oneHot, scatterAdd } from "./ops/indexing.js";
export { chunk, concat, split, splitSizes, stack } from "./ops/join.js";
