// The div op: true division `a / b` with broadcasting.
import { type Tensor, div as divTensor, mul, neg } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarLike } from "../var.js";

/**
 * The `div` op definition: `∂a = g / b`, `∂b = -g·a / b²`, each summed over its broadcast axes.
 *
 * @example
 * ```ts
 * divOp.name; // "div": the definition behind div(), listed in OPS
 * ```
 */
export const divOp = defineOp<[a: Tensor | number, b: Tensor | number], { a: Tensor | number; b: Tensor | number }>({
  name: "div",
  forward(ctx, a, b) {
    ctx.save({ a, b });
    return divTensor(a, b);
  },
  backward(ctx, g) {
    const { a, b } = ctx.saved;
    const gOverB = divTensor(g, b);
    return [
      ctx.needsGrad[0] && typeof a !== "number" ? sumToShape(gOverB, a.shape) : null,
      ctx.needsGrad[1] && typeof b !== "number" ? sumToShape(neg(mul(gOverB, divTensor(a, b))), b.shape) : null,
    ];
  },
});

/**
 * `a / b` (true division), broadcasting; numbers are constants.
 *
 * @example
 * ```ts
 * div(param(tensor([1, 2])), 2).toArray(); // [0.5, 1]
 * ```
 */
export function div(a: VarLike, b: VarLike): Var {
  return divOp.apply(a, b);
}
