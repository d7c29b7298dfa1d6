// The sqrt op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, div, mul, sqrt as sqrtTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `sqrt` op definition: `√x`; the gradient is `g / (2√x)`.
 *
 * @example
 * ```ts
 * sqrtOp.name; // "sqrt": the definition behind sqrt(), listed in OPS
 * ```
 */
export const sqrtOp = defineOp<[x: Tensor], Tensor>({
  name: "sqrt",
  forward(ctx, x) {
    const out = sqrtTensor(x);
    ctx.save(out);
    return out;
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? div(g, mul(ctx.saved, 2)) : null];
  },
});

/**
 * Elementwise `√x`; the gradient is `g / (2√x)`.
 *
 * @example
 * ```ts
 * sqrt(param(tensor([9]))).toArray(); // [3]
 * ```
 */
export function sqrt(x: VarInput): Var {
  return sqrtOp.apply(x);
}
