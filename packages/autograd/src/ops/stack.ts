// The stack op: joins equal-shaped tensors along a new axis. Backward hands
// each input its slice of the gradient.
import { type Tensor, ArgumentError, normalizeAxis, stack as stackTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `stack` op definition: `∂xᵢ = g[..., i, ...]` along the new axis. Arguments: the axis, then the inputs.
 *
 * @example
 * ```ts
 * stackOp.name; // "stack": the definition behind stack(), listed in OPS
 * ```
 */
export const stackOp = defineOp<[axis: number, ...xs: Tensor[]], { axis: number; count: number }>({
  name: "stack",
  forward(ctx, axis, ...xs) {
    const first = xs[0];
    if (first === undefined) throw new ArgumentError("stack: needs at least one tensor");
    const a = normalizeAxis(axis, first.ndim + 1, "stack");
    ctx.save({ axis: a, count: xs.length });
    return stackTensor(xs, a);
  },
  backward(ctx, g) {
    const { axis, count } = ctx.saved;
    const grads: (Tensor | null)[] = [];
    for (let i = 0; i < count; i++) grads.push(ctx.needsGrad[i + 1] ? g.narrow(axis, i, 1).squeeze(axis) : null);
    return [null, ...grads];
  },
});

/**
 * Joins tensors of equal shape along a new axis.
 *
 * @example
 * ```ts
 * stack([param(tensor([1, 2])), tensor([3, 4])], 1).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(xs: readonly VarInput[], axis = 0): Var {
  return stackOp.apply(axis, ...xs);
}
