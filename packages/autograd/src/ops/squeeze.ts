// The squeeze op: removes a size-1 dimension (or all of them). Backward
// reshapes the gradient back.
import { type Shape, type Tensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `squeeze` op definition: `∂x = g` reshaped to x's shape.
 *
 * @example
 * ```ts
 * squeezeOp.name; // "squeeze": the definition behind squeeze(), listed in OPS
 * ```
 */
export const squeezeOp = defineOp<[x: Tensor, axis: number | undefined], Shape>({
  name: "squeeze",
  forward(ctx, x, axis) {
    ctx.save(x.shape);
    return x.squeeze(axis);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? g.reshape(ctx.saved) : null, null];
  },
});

/**
 * Removes dimension `axis` if it has size 1 (all size-1 dimensions when omitted).
 *
 * @example
 * ```ts
 * squeeze(param(zeros([1, 3, 1]))).shape; // [3]
 * ```
 */
export function squeeze(x: VarInput, axis?: number): Var {
  return squeezeOp.apply(x, axis);
}
