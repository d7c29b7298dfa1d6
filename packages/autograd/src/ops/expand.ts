// The expand op: broadcasts to a larger shape without copying. Backward
// sums the gradient over the broadcast axes.
import { type Shape, type Tensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `expand` op definition: `∂x = g` summed over the broadcast axes.
 *
 * @example
 * ```ts
 * expandOp.name; // "expand": the definition behind expand(), listed in OPS
 * ```
 */
export const expandOp = defineOp<[x: Tensor, shape: Shape], Shape>({
  name: "expand",
  forward(ctx, x, shape) {
    ctx.save(x.shape);
    return x.expand(shape);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? sumToShape(g, ctx.saved) : null, null];
  },
});

/**
 * Broadcasts to `shape` (`-1` keeps a size) without copying.
 *
 * @example
 * ```ts
 * expand(param(tensor([1, 2])), [3, 2]).toArray(); // [[1, 2], [1, 2], [1, 2]]
 * ```
 */
export function expand(x: VarInput, shape: Shape): Var {
  return expandOp.apply(x, shape);
}
