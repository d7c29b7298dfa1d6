// The slice op: Python-style `[start:end:step]` of one axis (a view).
// Backward scatters the gradient back to the picked positions.
import { type Shape, type Tensor, arange, normalizeAxis, scatterAdd } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";
import { padNarrowed } from "./narrow.js";

interface SliceSaved {
  readonly shape: Shape;
  readonly axis: number;
  readonly start: number;
  readonly step: number;
}

/**
 * The `slice` op definition: `∂x` is `g` at the picked positions and 0 elsewhere.
 *
 * @example
 * ```ts
 * sliceOp.name; // "slice": the definition behind slice(), listed in OPS
 * ```
 */
export const sliceOp = defineOp<[x: Tensor, axis: number, start: number, end: number | undefined, step: number], SliceSaved>({
  name: "slice",
  forward(ctx, x, axis, start, end, step) {
    const a = normalizeAxis(axis, x.ndim, "slice");
    const size = x.shape[a];
    const first = Math.min(size, Math.max(0, start < 0 ? start + size : start)); // as Tensor.slice clamps
    ctx.save({ shape: x.shape, axis: a, start: first, step });
    return x.slice(a, start, end, step);
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null, null, null, null, null];
    const { shape, axis, start, step } = ctx.saved;
    if (step === 1) return [padNarrowed(g, shape, axis, start), null, null, null, null];
    // index[..., j, ...] = start + j·step along the axis, broadcast to g's shape
    const n = g.shape[axis];
    const positions = arange(start, start + n * step, step, "int32", g.backend);
    const index = positions.reshape(g.shape.map((d, i) => (i === axis ? d : 1))).expand(g.shape);
    return [scatterAdd(shape, axis, index, g), null, null, null, null];
  },
});

/**
 * Python-style slice of one axis: `[start, end)` with `step`; negative indices
 * count from the end and are clamped, as in Python.
 *
 * @example
 * ```ts
 * slice(param(tensor([0, 1, 2, 3, 4, 5])), 0, 1, -1, 2).toArray(); // [1, 3]
 * ```
 */
export function slice(x: VarInput, axis: number, start = 0, end?: number, step = 1): Var {
  return sliceOp.apply(x, axis, start, end, step);
}
