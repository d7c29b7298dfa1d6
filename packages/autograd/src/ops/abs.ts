// The abs op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, abs as absTensor, mul, sign } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `abs` op definition: `|x|`; the gradient is `g · sign(x)` (0 at x = 0, as PyTorch).
 *
 * @example
 * ```ts
 * absOp.name; // "abs": the definition behind abs(), listed in OPS
 * ```
 */
export const absOp = defineOp<[x: Tensor], Tensor>({
  name: "abs",
  forward(ctx, x) {
    ctx.save(x);
    return absTensor(x);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? mul(g, sign(ctx.saved)) : null];
  },
});

/**
 * Elementwise `|x|`; the gradient is `g · sign(x)` (0 at x = 0, as PyTorch).
 *
 * @example
 * ```ts
 * abs(param(tensor([-3, 2]))).toArray(); // [3, 2]
 * ```
 */
export function abs(x: VarInput): Var {
  return absOp.apply(x);
}
