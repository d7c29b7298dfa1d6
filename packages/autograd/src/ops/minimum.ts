// The minimum op: elementwise minimum with broadcasting. The gradient goes to the
// smaller operand; on ties it is split in half between both (as PyTorch).
import { type Tensor, eq, lt, mul, minimum as minimumTensor, sub, where } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarLike } from "../var.js";

/**
 * The `minimum` op definition: `∂a = g·w`, `∂b = g·(1 - w)` with w = 1 where a is smaller, 1/2 on ties, else 0.
 *
 * @example
 * ```ts
 * minimumOp.name; // "minimum": the definition behind minimum(), listed in OPS
 * ```
 */
export const minimumOp = defineOp<[a: Tensor | number, b: Tensor | number], { a: Tensor | number; b: Tensor | number }>({
  name: "minimum",
  forward(ctx, a, b) {
    ctx.save({ a, b });
    return minimumTensor(a, b);
  },
  backward(ctx, g) {
    const { a, b } = ctx.saved;
    const tensorA = typeof a === "number" ? null : a;
    const tensorB = typeof b === "number" ? null : b;
    // the weight of a: 1 where a wins, 1/2 on a tie, 0 where b wins
    const wa = where(lt(a, b), 1, where(eq(a, b), 0.5, 0));
    return [
      ctx.needsGrad[0] && tensorA !== null ? sumToShape(mul(g, wa), tensorA.shape) : null,
      ctx.needsGrad[1] && tensorB !== null ? sumToShape(mul(g, sub(1, wa)), tensorB.shape) : null,
    ];
  },
});

/**
 * Elementwise minimum of `a` and `b`, broadcasting; numbers are constants.
 *
 * @example
 * ```ts
 * minimum(param(tensor([1, 5])), 3).toArray(); // [1, 3]
 * ```
 */
export function minimum(a: VarLike, b: VarLike): Var {
  return minimumOp.apply(a, b);
}
