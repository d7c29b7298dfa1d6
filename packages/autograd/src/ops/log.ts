// The log op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, div, log as logTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `log` op definition: natural log; the gradient is `g / x`.
 *
 * @example
 * ```ts
 * logOp.name; // "log": the definition behind log(), listed in OPS
 * ```
 */
export const logOp = defineOp<[x: Tensor], Tensor>({
  name: "log",
  forward(ctx, x) {
    ctx.save(x);
    return logTensor(x);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? div(g, ctx.saved) : null];
  },
});

/**
 * Elementwise natural log; the gradient is `g / x`.
 *
 * @example
 * ```ts
 * log(param(tensor([1]))).toArray(); // [0]
 * ```
 */
export function log(x: VarInput): Var {
  return logOp.apply(x);
}
