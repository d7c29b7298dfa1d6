// The tanh op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, mul, sub, tanh as tanhTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `tanh` op definition: hyperbolic tangent; the gradient is `g · (1 - y²)` with `y = tanh x`.
 *
 * @example
 * ```ts
 * tanhOp.name; // "tanh": the definition behind tanh(), listed in OPS
 * ```
 */
export const tanhOp = defineOp<[x: Tensor], Tensor>({
  name: "tanh",
  forward(ctx, x) {
    const out = tanhTensor(x);
    ctx.save(out);
    return out;
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? mul(g, sub(1, mul(ctx.saved, ctx.saved))) : null];
  },
});

/**
 * Elementwise hyperbolic tangent; the gradient is `g · (1 - y²)` with `y = tanh x`.
 *
 * @example
 * ```ts
 * tanh(param(tensor([0]))).toArray(); // [0]
 * ```
 */
export function tanh(x: VarInput): Var {
  return tanhOp.apply(x);
}
