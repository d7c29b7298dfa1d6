// The reshape op: same elements in row-major order, another shape (a view
// when strides allow). Backward reshapes the gradient back.
import { type Shape, type Tensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `reshape` op definition: `∂x = g` reshaped to x's shape.
 *
 * @example
 * ```ts
 * reshapeOp.name; // "reshape": the definition behind reshape(), listed in OPS
 * ```
 */
export const reshapeOp = defineOp<[x: Tensor, shape: Shape], Shape>({
  name: "reshape",
  forward(ctx, x, shape) {
    ctx.save(x.shape);
    return x.reshape(shape);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? g.reshape(ctx.saved) : null, null];
  },
});

/**
 * Same elements in another shape; one entry may be `-1`.
 *
 * @example
 * ```ts
 * reshape(param(arange(6, undefined, 1, "float32")), [2, -1]).shape; // [2, 3]
 * ```
 */
export function reshape(x: VarInput, shape: Shape): Var {
  return reshapeOp.apply(x, shape);
}
