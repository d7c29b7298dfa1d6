// The mul op: `a * b` with broadcasting; backward multiplies the gradient by
// the other operand and sums back down to each operand's shape.
import { type Tensor, mul as mulTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarLike } from "../var.js";

/**
 * The `mul` op definition: `∂a = g·b`, `∂b = g·a`, each summed over its broadcast axes.
 *
 * @example
 * ```ts
 * mulOp.name; // "mul": the definition behind mul(), listed in OPS
 * ```
 */
export const mulOp = defineOp<[a: Tensor | number, b: Tensor | number], { a: Tensor | number; b: Tensor | number }>({
  name: "mul",
  forward(ctx, a, b) {
    ctx.save({ a, b });
    return mulTensor(a, b);
  },
  backward(ctx, g) {
    const { a, b } = ctx.saved;
    return [
      ctx.needsGrad[0] && typeof a !== "number" ? sumToShape(mulTensor(g, b), a.shape) : null,
      ctx.needsGrad[1] && typeof b !== "number" ? sumToShape(mulTensor(g, a), b.shape) : null,
    ];
  },
});

/**
 * `a * b`, broadcasting; numbers are constants.
 *
 * @example
 * ```ts
 * mul(param(tensor([1, 2])), 3).toArray(); // [3, 6]
 * ```
 */
export function mul(a: VarLike, b: VarLike): Var {
  return mulOp.apply(a, b);
}
