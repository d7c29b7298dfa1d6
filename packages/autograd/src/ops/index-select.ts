// The indexSelect op: picks entries along an axis by a 1-D index (the
// embedding lookup for axis 0). Backward scatters gradients back, adding
// where an index repeats.
import { type Shape, type Tensor, indexSelect as indexSelectTensor, normalizeAxis, scatterAdd } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `indexSelect` op definition: `∂x` adds each row of `g` at the position its index names.
 *
 * @example
 * ```ts
 * indexSelectOp.name; // "indexSelect": the definition behind indexSelect(), listed in OPS
 * ```
 */
export const indexSelectOp = defineOp<[x: Tensor, axis: number, index: Tensor], { shape: Shape; axis: number; index: Tensor }>({
  name: "indexSelect",
  forward(ctx, x, axis, index) {
    const a = normalizeAxis(axis, x.ndim, "indexSelect");
    ctx.save({ shape: x.shape, axis: a, index });
    return indexSelectTensor(x, a, index);
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null, null, null];
    const { shape, axis, index } = ctx.saved;
    const full = index.reshape(g.shape.map((d, i) => (i === axis ? d : 1))).expand(g.shape);
    return [scatterAdd(shape, axis, full, g), null, null];
  },
});

/**
 * Selects entries along `axis` by a 1-D integer index.
 *
 * @example
 * ```ts
 * indexSelect(param(tensor([[1, 2], [3, 4], [5, 6]])), 0, tensor([2, 0], undefined, "int32")).toArray(); // [[5, 6], [1, 2]]
 * ```
 */
export function indexSelect(x: VarInput, axis: number, index: Tensor): Var {
  return indexSelectOp.apply(x, axis, index);
}
