// The gather op (PyTorch's gather along an axis). Backward is its adjoint,
// scatterAdd: repeated indices accumulate.
import { type Shape, type Tensor, gather as gatherTensor, normalizeAxis, scatterAdd } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `gather` op definition: `∂x = scatterAdd(x.shape, axis, index, g)`.
 *
 * @example
 * ```ts
 * gatherOp.name; // "gather": the definition behind gather(), listed in OPS
 * ```
 */
export const gatherOp = defineOp<[x: Tensor, axis: number, index: Tensor], { shape: Shape; axis: number; index: Tensor }>({
  name: "gather",
  forward(ctx, x, axis, index) {
    const a = normalizeAxis(axis, x.ndim, "gather");
    ctx.save({ shape: x.shape, axis: a, index });
    return gatherTensor(x, a, index);
  },
  backward(ctx, g) {
    const { shape, axis, index } = ctx.saved;
    return [ctx.needsGrad[0] ? scatterAdd(shape, axis, index, g) : null, null, null];
  },
});

/**
 * `out[i][j] = x[i][index[i][j]]` for axis 1 (any axis likewise); the result
 * has index's shape. `index` is an integer tensor (a constant).
 *
 * @example
 * ```ts
 * gather(param(tensor([[1, 2], [3, 4]])), 1, tensor([[1], [0]], undefined, "int32")).toArray(); // [[2], [3]]
 * ```
 */
export function gather(x: VarInput, axis: number, index: Tensor): Var {
  return gatherOp.apply(x, axis, index);
}
