// The max op: max over some axes (all by default). The gradient goes to the
// largest element; ties split it evenly (as PyTorch's amax/amin and full
// reductions), so the gradient still sums to g.
import { type ReduceOptions, type Tensor, max as maxTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";
import { extremumGrad, reductionAxes } from "./reduced-shape.js";

/**
 * The `max` op definition: `∂x = g · [x is the max] / (number of tied maxima)`.
 *
 * @example
 * ```ts
 * maxOp.name; // "max": the definition behind max(), listed in OPS
 * ```
 */
export const maxOp = defineOp<[x: Tensor, axes: number | readonly number[] | undefined, opts: ReduceOptions | undefined], { x: Tensor; out: Tensor; axes: number[] }>({
  name: "max",
  forward(ctx, x, axes, opts) {
    const ax = reductionAxes(axes, x.ndim, "max");
    const out = maxTensor(x, ax, opts);
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
 * Maximum over `axes` (all when omitted); `keepDims` keeps them as size 1.
 *
 * @example
 * ```ts
 * max(param(tensor([[1, 5], [3, 4]])), 1).toArray(); // [5, 4]
 * ```
 */
export function max(x: VarInput, axes?: number | readonly number[], opts?: ReduceOptions): Var {
  return maxOp.apply(x, axes, opts);
}
