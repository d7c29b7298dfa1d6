// RMSNorm on tensors, as ggml computes it: each square rounded to float32,
// the squares summed (in double on the CPU backend), the mean and
// 1/√(mean + eps) in float32, then `x · scale` (· weight). The one RMSNorm of
// the inference path and of BitLinear's optional input norm; the trainable
// module is autograd's `RMSNorm`.
//
// Shapes: x [..., C], weight [C] (optional) -> [..., C].
import { type Tensor, add, div, mul, rsqrt, sum } from "@bitnet-quantize/tensor";

/**
 * `x / √(mean(x²) + eps) · weight` over the last axis, on x's backend.
 *
 * @example
 * ```ts
 * rmsNormTensor(tensor([[3, 4]]), 0).toArray(); // [[0.8485..., 1.1313...]]
 * ```
 */
export function rmsNormTensor(x: Tensor, eps: number, weight?: Tensor): Tensor {
  const C = x.shape[x.ndim - 1] as number;
  const meanSquare = div(sum(mul(x, x), -1, { keepDims: true }), C);
  const y = mul(x, rsqrt(add(meanSquare, eps)));
  return weight === undefined ? y : mul(y, weight);
}
