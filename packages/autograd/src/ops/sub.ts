// The sub op: `a - b` with broadcasting; backward sums the gradient back down
// to each operand's shape (negated for `b`).
import { type Shape, type Tensor, neg, sub as subTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarLike } from "../var.js";
import { shapeOf } from "./shape-of.js";

/**
 * The `sub` op definition: gradients `g` and `-g`, each summed over its broadcast axes.
 *
 * @example
 * ```ts
 * subOp.name; // "sub": the definition behind sub(), listed in OPS
 * ```
 */
export const subOp = defineOp<[a: Tensor | number, b: Tensor | number], { a: Shape; b: Shape }>({
  name: "sub",
  forward(ctx, a, b) {
    ctx.save({ a: shapeOf(a), b: shapeOf(b) });
    return subTensor(a, b);
  },
  backward(ctx, g) {
    const { a, b } = ctx.saved;
    return [ctx.needsGrad[0] ? sumToShape(g, a) : null, ctx.needsGrad[1] ? neg(sumToShape(g, b)) : null];
  },
});

/**
 * `a - b`, broadcasting; numbers are constants.
 *
 * @example
 * ```ts
 * sub(param(tensor([5, 6])), 1).toArray(); // [4, 5]
 * ```
 */
export function sub(a: VarLike, b: VarLike): Var {
  return subOp.apply(a, b);
}
