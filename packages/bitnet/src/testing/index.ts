// @bitnet-quantize/bitnet/testing: the quantizers written with tensor ops
// (no synchronous reads, so they run on WebGPU too), held equal to the array
// quantizers of the main entry by the equivalence tests. Not needed to use BitNet.
export { absMeanTernaryTensor } from "../quantize-weights.js";
export { absMaxInt8Tensor } from "../quantize-activations.js";
