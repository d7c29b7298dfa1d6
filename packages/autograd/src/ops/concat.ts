// The concat op: joins tensors along an existing axis. Backward hands each
// input its window of the gradient.
import { type Tensor, ArgumentError, concat as concatTensor, normalizeAxis } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `concat` op definition: `∂xᵢ` is the window of `g` where `xᵢ` was placed. Arguments: the axis, then the inputs.
 *
 * @example
 * ```ts
 * concatOp.name; // "concat": the definition behind concat(), listed in OPS
 * ```
 */
export const concatOp = defineOp<[axis: number, ...xs: Tensor[]], { axis: number; sizes: number[] }>({
  name: "concat",
  forward(ctx, axis, ...xs) {
    const first = xs[0];
    if (first === undefined) throw new ArgumentError("concat: needs at least one tensor");
    const a = normalizeAxis(axis, first.ndim, "concat");
    ctx.save({ axis: a, sizes: xs.map((x) => x.shape[a]) });
    return concatTensor(xs, a);
  },
  backward(ctx, g) {
    const { axis, sizes } = ctx.saved;
    let start = 0;
    const grads = sizes.map((len, i) => {
      const piece = ctx.needsGrad[i + 1] ? g.narrow(axis, start, len) : null;
      start += len;
      return piece;
    });
    return [null, ...grads];
  },
});

/**
 * Joins along an existing axis; other dimensions must agree.
 *
 * @example
 * ```ts
 * concat([param(tensor([[1, 2]])), tensor([[3, 4]])], 0).toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function concat(xs: readonly VarInput[], axis = 0): Var {
  return concatOp.apply(axis, ...xs);
}
