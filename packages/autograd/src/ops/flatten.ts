// The flatten op: merges dimensions `start..end` into one. Backward
// reshapes the gradient back.
import { type Shape, type Tensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `flatten` op definition: `∂x = g` reshaped to x's shape.
 *
 * @example
 * ```ts
 * flattenOp.name; // "flatten": the definition behind flatten(), listed in OPS
 * ```
 */
export const flattenOp = defineOp<[x: Tensor, start: number, end: number], Shape>({
  name: "flatten",
  forward(ctx, x, start, end) {
    ctx.save(x.shape);
    return x.flatten(start, end);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? g.reshape(ctx.saved) : null, null, null];
  },
});

/**
 * Flattens dimensions `start..end` (inclusive) into one.
 *
 * @example
 * ```ts
 * flatten(param(zeros([2, 3, 4])), 1).shape; // [2, 12]
 * ```
 */
export function flatten(x: VarInput, start = 0, end = -1): Var {
  return flattenOp.apply(x, start, end);
}
