// The sum op: sum over some axes (all by default); backward broadcasts the
// gradient back over the summed axes.
import { type ReduceOptions, type Shape, type Tensor, sum as sumTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";
import { reductionAxes, unreduce } from "./reduced-shape.js";

/**
 * The `sum` op definition: `∂x = g` broadcast over the summed axes.
 *
 * @example
 * ```ts
 * sumOp.name; // "sum": the definition behind sum(), listed in OPS
 * ```
 */
export const sumOp = defineOp<[x: Tensor, axes: number | readonly number[] | undefined, opts: ReduceOptions | undefined], { shape: Shape; axes: number[] }>({
  name: "sum",
  forward(ctx, x, axes, opts) {
    const ax = reductionAxes(axes, x.ndim, "sum");
    ctx.save({ shape: x.shape, axes: ax });
    return sumTensor(x, ax, opts);
  },
  backward(ctx, g) {
    const { shape, axes } = ctx.saved;
    return [ctx.needsGrad[0] ? unreduce(g, shape, axes) : null, null, null];
  },
});

/**
 * Sum over `axes` (all when omitted); `keepDims` keeps them as size 1.
 *
 * @example
 * ```ts
 * sum(param(tensor([[1, 2], [3, 4]])), 1).toArray(); // [3, 7]
 * ```
 */
export function sum(x: VarInput, axes?: number | readonly number[], opts?: ReduceOptions): Var {
  return sumOp.apply(x, axes, opts);
}
