// The variance op: `sum((x - mean)²) / (n - correction)` over some axes
// (correction 1 by default, as torch.var).
import { type Shape, type Tensor, type VarOptions, div, mean as meanTensor, mul, sub, variance as varianceTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";
import { reductionAxes, unreduce } from "./reduced-shape.js";

interface VarianceSaved {
  readonly x: Tensor;
  readonly axes: number[];
  readonly divisor: number;
}

/**
 * The `variance` op definition: `∂x = g · 2(x - mean) / (n - correction)`.
 *
 * @example
 * ```ts
 * varianceOp.name; // "variance": the definition behind variance(), listed in OPS
 * ```
 */
export const varianceOp = defineOp<[x: Tensor, axes: number | readonly number[] | undefined, opts: VarOptions | undefined], VarianceSaved>({
  name: "variance",
  forward(ctx, x, axes, opts) {
    const ax = reductionAxes(axes, x.ndim, "var");
    let n = 1;
    for (const a of ax) n *= x.shape[a];
    ctx.save({ x, axes: ax, divisor: Math.max(0, n - (opts?.correction ?? 1)) });
    return varianceTensor(x, ax, opts);
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null, null, null];
    const { x, axes, divisor } = ctx.saved;
    const shape: Shape = x.shape;
    const centered = sub(x, meanTensor(x, axes, { keepDims: true }));
    return [mul(centered, unreduce(div(g, divisor / 2), shape, axes)), null, null];
  },
});

/**
 * Variance over `axes` (all when omitted): Bessel-corrected by default,
 * `{ correction: 0 }` for the population variance.
 *
 * @example
 * ```ts
 * variance(param(tensor([1, 2, 3, 4]))).item(); // 1.6666666
 * ```
 */
export function variance(x: VarInput, axes?: number | readonly number[], opts?: VarOptions): Var {
  return varianceOp.apply(x, axes, opts);
}
