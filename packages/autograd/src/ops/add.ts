// The add op: `a + b` with broadcasting; backward sums the gradient back down
// to each operand's shape.
import { type Shape, type Tensor, add as addTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarLike } from "../var.js";
import { shapeOf } from "./shape-of.js";

/**
 * The `add` op definition: the gradient of each operand is `g`, summed over its broadcast axes.
 *
 * @example
 * ```ts
 * addOp.name; // "add": the definition behind add(), listed in OPS
 * ```
 */
export const addOp = defineOp<[a: Tensor | number, b: Tensor | number], { a: Shape; b: Shape }>({
  name: "add",
  forward(ctx, a, b) {
    ctx.save({ a: shapeOf(a), b: shapeOf(b) });
    return addTensor(a, b);
  },
  backward(ctx, g) {
    const { a, b } = ctx.saved;
    return [ctx.needsGrad[0] ? sumToShape(g, a) : null, ctx.needsGrad[1] ? sumToShape(g, b) : null];
  },
});

/**
 * `a + b`, broadcasting; numbers are constants.
 *
 * @example
 * ```ts
 * add(param(tensor([[1], [2]])), tensor([10, 20])).toArray(); // [[11, 21], [12, 22]]
 * ```
 */
export function add(a: VarLike, b: VarLike): Var {
  return addOp.apply(a, b);
}
