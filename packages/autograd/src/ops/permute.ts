// The permute op: reorders dimensions (a view). Backward applies the
// inverse permutation.
import { type Tensor, normalizeAxis } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `permute` op definition: `∂x = g` permuted by the inverse permutation.
 *
 * @example
 * ```ts
 * permuteOp.name; // "permute": the definition behind permute(), listed in OPS
 * ```
 */
export const permuteOp = defineOp<[x: Tensor, dims: readonly number[]], number[]>({
  name: "permute",
  forward(ctx, x, dims) {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => {
      inverse[normalizeAxis(d, x.ndim, "permute")] = i;
    });
    ctx.save(inverse);
    return x.permute(dims);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? g.permute(ctx.saved) : null, null];
  },
});

/**
 * Reorders dimensions: dimension i of the result is `dims[i]` of the input.
 *
 * @example
 * ```ts
 * permute(param(zeros([2, 3, 4])), [2, 0, 1]).shape; // [4, 2, 3]
 * ```
 */
export function permute(x: VarInput, dims: readonly number[]): Var {
  return permuteOp.apply(x, dims);
}
