// The cos op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, cos as cosTensor, mul, neg, sin } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `cos` op definition: cosine; the gradient is `-g · sin x`.
 *
 * @example
 * ```ts
 * cosOp.name; // "cos": the definition behind cos(), listed in OPS
 * ```
 */
export const cosOp = defineOp<[x: Tensor], Tensor>({
  name: "cos",
  forward(ctx, x) {
    ctx.save(x);
    return cosTensor(x);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? mul(g, neg(sin(ctx.saved))) : null];
  },
});

/**
 * Elementwise cosine; the gradient is `-g · sin x`.
 *
 * @example
 * ```ts
 * cos(param(tensor([0]))).toArray(); // [1]
 * ```
 */
export function cos(x: VarInput): Var {
  return cosOp.apply(x);
}
