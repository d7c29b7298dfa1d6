// RMSNorm on tensors, as ggml computes it: each square rounded to float32,
// the squares summed in double and divided by C in double, the mean rounded
// to float32, then `1 / √(mean + eps)` in float32 steps and `x · scale`
// (· weight). Backends without float64 (WebGPU) sum in float32. The one
// RMSNorm of the inference path and of BitLinear's optional input norm; the
// trainable module is autograd's `RMSNorm`.
//
// Shapes: x [..., C], weight [C] (optional) -> [..., C].
import { type Tensor, add, div, mul, rmsNormRowsF32, sqrt, sum } from "@bitnet-quantize/tensor";
import { BitNetError } from "./errors.js";

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

/**
 * {@link rmsNormTensor} on host rows, bit for bit as it computes on the CPU:
 * `x` holds rows of `C` float32 values; each square is rounded to float32
 * and summed in double, `mean = f32(Σ / C)`, `scale = f32(1 / f32(√f32(mean + f32(eps))))`,
 * `y = f32(x · scale)` (then `f32(y · weight)`). Writes `out` (default a new
 * array; it may be `x` itself) and returns it. The inference pass's RMSNorm
 * on backends with synchronous reads: tensor's `rmsNormRowsF32` (a SIMD
 * kernel with a plain twin) after this function's argument checks.
 *
 * @example
 * ```ts
 * Array.from(rmsNormRows(new Float32Array([3, 4]), 2, 0)); // [0.8485, 1.1314]
 * ```
 */
export function rmsNormRows(x: Float32Array, C: number, eps: number, weight?: ArrayLike<number>, out: Float32Array = new Float32Array(x.length)): Float32Array {
  if (!Number.isInteger(C) || C <= 0 || x.length % C !== 0) throw new BitNetError(`rmsNormRows: ${x.length} values are not rows of ${C}`);
  if (out.length !== x.length) throw new BitNetError(`rmsNormRows: out has ${out.length} values, x has ${x.length}`);
  if (weight !== undefined && weight.length !== C) throw new BitNetError(`rmsNormRows: weight has ${weight.length} values, rows have ${C}`);
  return rmsNormRowsF32(x, C, eps, weight, out);
}
