// The softmax op along one axis (stable: the tensor package subtracts the
// maximum first). Backward: `∂x = y·(g - Σ g·y)` with the sum along the axis.
import { type Tensor, mul, normalizeAxis, softmax as softmaxTensor, sub, sum } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `softmax` op definition: `∂x = y·(g - Σ_axis g·y)`.
 *
 * @example
 * ```ts
 * softmaxOp.name; // "softmax": the definition behind softmax(), listed in OPS
 * ```
 */
export const softmaxOp = defineOp<[x: Tensor, axis: number], { out: Tensor; axis: number }>({
  name: "softmax",
  forward(ctx, x, axis) {
    const a = normalizeAxis(axis, x.ndim, "softmax");
    const out = softmaxTensor(x, a);
    ctx.save({ out, axis: a });
    return out;
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null, null];
    const { out, axis } = ctx.saved;
    return [mul(out, sub(g, sum(mul(g, out), axis, { keepDims: true }))), null];
  },
});

/**
 * `exp(x) / Σ exp(x)` along `axis` (default last).
 *
 * @example
 * ```ts
 * softmax(param(tensor([0, 0]))).toArray(); // [0.5, 0.5]
 * ```
 */
export function softmax(x: VarInput, axis = -1): Var {
  return softmaxOp.apply(x, axis);
}
