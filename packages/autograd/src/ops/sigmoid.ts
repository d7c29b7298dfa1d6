// The sigmoid op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, mul, sigmoid as sigmoidTensor, sub } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `sigmoid` op definition: logistic sigmoid; the gradient is `g · y (1 - y)` with `y = σ(x)`.
 *
 * @example
 * ```ts
 * sigmoidOp.name; // "sigmoid": the definition behind sigmoid(), listed in OPS
 * ```
 */
export const sigmoidOp = defineOp<[x: Tensor], Tensor>({
  name: "sigmoid",
  forward(ctx, x) {
    const out = sigmoidTensor(x);
    ctx.save(out);
    return out;
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? mul(g, mul(ctx.saved, sub(1, ctx.saved))) : null];
  },
});

/**
 * Elementwise logistic sigmoid; the gradient is `g · y (1 - y)` with `y = σ(x)`.
 *
 * @example
 * ```ts
 * sigmoid(param(tensor([0]))).toArray(); // [0.5]
 * ```
 */
export function sigmoid(x: VarInput): Var {
  return sigmoidOp.apply(x);
}
