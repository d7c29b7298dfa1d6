// The sin op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, cos, mul, sin as sinTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `sin` op definition: sine; the gradient is `g · cos x`.
 *
 * @example
 * ```ts
 * sinOp.name; // "sin": the definition behind sin(), listed in OPS
 * ```
 */
export const sinOp = defineOp<[x: Tensor], Tensor>({
  name: "sin",
  forward(ctx, x) {
    ctx.save(x);
    return sinTensor(x);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? mul(g, cos(ctx.saved)) : null];
  },
});

/**
 * Elementwise sine; the gradient is `g · cos x`.
 *
 * @example
 * ```ts
 * sin(param(tensor([0]))).toArray(); // [0]
 * ```
 */
export function sin(x: VarInput): Var {
  return sinOp.apply(x);
}
