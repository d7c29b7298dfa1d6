// The logSoftmax op along one axis (stable). Backward:
// `∂x = g - softmax(x)·Σ g`, with the softmax recovered as exp of the output.
import { type Tensor, exp, logSoftmax as logSoftmaxTensor, mul, normalizeAxis, sub, sum } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `logSoftmax` op definition: `∂x = g - exp(y)·Σ_axis g`.
 *
 * @example
 * ```ts
 * logSoftmaxOp.name; // "logSoftmax": the definition behind logSoftmax(), listed in OPS
 * ```
 */
export const logSoftmaxOp = defineOp<[x: Tensor, axis: number], { out: Tensor; axis: number }>({
  name: "logSoftmax",
  forward(ctx, x, axis) {
    const a = normalizeAxis(axis, x.ndim, "logSoftmax");
    const out = logSoftmaxTensor(x, a);
    ctx.save({ out, axis: a });
    return out;
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null, null];
    const { out, axis } = ctx.saved;
    return [sub(g, mul(exp(out), sum(g, axis, { keepDims: true }))), null];
  },
});

/**
 * `x - log Σ exp(x)` along `axis` (default last), computed stably.
 *
 * @example
 * ```ts
 * logSoftmax(param(tensor([0, 0]))).toArray(); // [-0.6931472, -0.6931472]
 * ```
 */
export function logSoftmax(x: VarInput, axis = -1): Var {
  return logSoftmaxOp.apply(x, axis);
}
