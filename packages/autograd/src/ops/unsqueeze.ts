// The unsqueeze op: inserts a size-1 dimension. Backward reshapes the
// gradient back.
import { type Shape, type Tensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `unsqueeze` op definition: `∂x = g` reshaped to x's shape.
 *
 * @example
 * ```ts
 * unsqueezeOp.name; // "unsqueeze": the definition behind unsqueeze(), listed in OPS
 * ```
 */
export const unsqueezeOp = defineOp<[x: Tensor, axis: number], Shape>({
  name: "unsqueeze",
  forward(ctx, x, axis) {
    ctx.save(x.shape);
    return x.unsqueeze(axis);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? g.reshape(ctx.saved) : null, null];
  },
});

/**
 * Inserts a size-1 dimension at `axis` (which may be `ndim` or negative).
 *
 * @example
 * ```ts
 * unsqueeze(param(zeros([3])), 0).shape; // [1, 3]
 * ```
 */
export function unsqueeze(x: VarInput, axis: number): Var {
  return unsqueezeOp.apply(x, axis);
}
