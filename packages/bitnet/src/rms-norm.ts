// RMSNorm on tensors, as ggml computes it: each square rounded to float32,
// the squares summed in double and divided by C in double, the mean rounded
// to float32, then `1 / √(mean + eps)` in float32 steps and `x · scale`
// (· weight). Backends without float64 (WebGPU) sum in float32. The one
// RMSNorm of the inference path and of BitLinear's optional input norm; the
// trainable module is autograd's `RMSNorm`.
//
// Shapes: x [..., C], weight [C] (optional) -> [..., C].
import { type Tensor, add, div, mul, sqrt, sum } from "@bitnet-quantize/tensor";

/**
 * `x / √(mean(x²) + eps) · weight` over the last axis, on x's backend.
 *
 * @example
 * ```ts
 * rmsNormTensor(tensor([[3, 4]]), 0).toArray(); // [[0.8485..., 1.1313...]]
 * ```
 */
export function rmsNormTensor(x: Tensor, eps: number, weight?: Tensor): Tensor {
  const C = x.shape[x.ndim - 1];
  const squares = mul(x, x);
  // float64 where the backend has it (the CPU): the mean is (float)(Σ/C) exactly as ggml's
  const wide = x.backend.readSync !== undefined && x.dtype === "float32";
  const meanSquare = wide ? div(sum(squares.cast("float64"), -1, { keepDims: true }), C).cast("float32") : div(sum(squares, -1, { keepDims: true }), C);
  const y = mul(x, div(1, sqrt(add(meanSquare, Math.fround(eps)))));
  return weight === undefined ? y : mul(y, weight);
}
