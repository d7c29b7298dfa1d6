// The transpose op: swaps two dimensions (a view). Backward swaps them back.
import { type Tensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `transpose` op definition: `∂x = g` with the same two dimensions swapped.
 *
 * @example
 * ```ts
 * transposeOp.name; // "transpose": the definition behind transpose(), listed in OPS
 * ```
 */
export const transposeOp = defineOp<[x: Tensor, dim0: number, dim1: number], [number, number]>({
  name: "transpose",
  forward(ctx, x, dim0, dim1) {
    ctx.save([dim0, dim1]);
    return x.transpose(dim0, dim1);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? g.transpose(...ctx.saved) : null, null, null];
  },
});

/**
 * Swaps two dimensions (default: the last two; a 1-D input is returned as is).
 *
 * @example
 * ```ts
 * transpose(param(zeros([2, 3]))).shape; // [3, 2]
 * ```
 */
export function transpose(x: VarInput, dim0 = -2, dim1 = -1): Var {
  return transposeOp.apply(x, dim0, dim1);
}
