// The mean op: mean over some axes (all by default); backward spreads the
// gradient evenly over the averaged elements.
import { type ReduceOptions, type Shape, type Tensor, div, mean as meanTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";
import { reductionAxes, unreduce } from "./reduced-shape.js";

/**
 * The `mean` op definition: `∂x = g / n` broadcast over the averaged axes (n elements each).
 *
 * @example
 * ```ts
 * meanOp.name; // "mean": the definition behind mean(), listed in OPS
 * ```
 */
export const meanOp = defineOp<[x: Tensor, axes: number | readonly number[] | undefined, opts: ReduceOptions | undefined], { shape: Shape; axes: number[] }>({
  name: "mean",
  forward(ctx, x, axes, opts) {
    const ax = reductionAxes(axes, x.ndim, "mean");
    ctx.save({ shape: x.shape, axes: ax });
    return meanTensor(x, ax, opts);
  },
  backward(ctx, g) {
    const { shape, axes } = ctx.saved;
    let n = 1;
    for (const a of axes) n *= shape[a];
    return [ctx.needsGrad[0] ? unreduce(div(g, n), shape, axes) : null, null, null];
  },
});

/**
 * Mean over `axes` (all when omitted); `keepDims` keeps them as size 1.
 *
 * @example
 * ```ts
 * mean(param(tensor([[1, 2], [3, 4]])), 0).toArray(); // [2, 3]
 * ```
 */
export function mean(x: VarInput, axes?: number | readonly number[], opts?: ReduceOptions): Var {
  return meanOp.apply(x, axes, opts);
}
