// The where op: picks `a` where `cond` is non-zero, else `b`, broadcasting all
// three. Differentiable in `a` and `b`; `cond` is a constant.
import { type Shape, type Tensor, where as whereTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarLike } from "../var.js";
import { shapeOf } from "./shape-of.js";

/**
 * The `where` op definition: `∂a = where(cond, g, 0)`, `∂b = where(cond, 0, g)`, each summed over its broadcast axes.
 *
 * @example
 * ```ts
 * whereOp.name; // "where": the definition behind where(), listed in OPS
 * ```
 */
export const whereOp = defineOp<[cond: Tensor, a: Tensor | number, b: Tensor | number], { cond: Tensor; a: Shape; b: Shape }>({
  name: "where",
  forward(ctx, cond, a, b) {
    ctx.save({ cond, a: shapeOf(a), b: shapeOf(b) });
    return whereTensor(cond, a, b);
  },
  backward(ctx, g) {
    const { cond, a, b } = ctx.saved;
    return [
      null,
      ctx.needsGrad[1] ? sumToShape(whereTensor(cond, g, 0), a) : null,
      ctx.needsGrad[2] ? sumToShape(whereTensor(cond, 0, g), b) : null,
    ];
  },
});

/**
 * `cond ? a : b` elementwise, broadcasting; `cond` is any tensor (non-zero is true).
 *
 * @example
 * ```ts
 * where(tensor([1, 0], undefined, "uint8"), param(tensor([1, 2])), 0).toArray(); // [1, 0]
 * ```
 */
export function where(cond: Tensor, a: VarLike, b: VarLike): Var {
  return whereOp.apply(cond, a, b);
}
