// The exp op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, exp as expTensor, mul } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `exp` op definition: `e^x`; the gradient is `g · e^x` (the saved output).
 *
 * @example
 * ```ts
 * expOp.name; // "exp": the definition behind exp(), listed in OPS
 * ```
 */
export const expOp = defineOp<[x: Tensor], Tensor>({
  name: "exp",
  forward(ctx, x) {
    const out = expTensor(x);
    ctx.save(out);
    return out;
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? mul(g, ctx.saved) : null];
  },
});

/**
 * Elementwise `e^x`; the gradient is `g · e^x` (the saved output).
 *
 * @example
 * ```ts
 * exp(param(tensor([0]))).toArray(); // [1]
 * ```
 */
export function exp(x: VarInput): Var {
  return expOp.apply(x);
}
