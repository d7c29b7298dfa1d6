// The min op: min over some axes (all by default). The gradient goes to the
// smallest element; ties split it evenly (as PyTorch's amax/amin and full
// reductions), so the gradient still sums to g.
import { type ReduceOptions, type Tensor, min as minTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";
import { extremumGrad, reductionAxes } from "./reduced-shape.js";

/**
 * The `min` op definition: `∂x = g · [x is the min] / (number of tied minima)`.
 *
 * @example
 * ```ts
 * minOp.name; // "min": the definition behind min(), listed in OPS
 * ```
 */
export const minOp = defineOp<[x: Tensor, axes: number | readonly number[] | undefined, opts: ReduceOptions | undefined], { x: Tensor; out: Tensor; axes: number[] }>({
  name: "min",
  forward(ctx, x, axes, opts) {
    const ax = reductionAxes(axes, x.ndim, "min");
    const out = minTensor(x, ax, opts);
    ctx.save({ x, out, axes: ax });
    return out;
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null, null, null];
    const { x, out, axes } = ctx.saved;
    return [extremumGrad(x, out, axes, g), null, null];
  },
});

/**
 * Minimum over `axes` (all when omitted); `keepDims` keeps them as size 1.
 *
 * @example
 * ```ts
 * min(param(tensor([[1, 5], [3, 4]])), 1).toArray(); // [1, 3]
 * ```
 */
export function min(x: VarInput, axes?: number | readonly number[], opts?: ReduceOptions): Var {
  return minOp.apply(x, axes, opts);
}
