// The neg op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, neg as negTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `neg` op definition: `-x`; the gradient is `-g`.
 *
 * @example
 * ```ts
 * negOp.name; // "neg": the definition behind neg(), listed in OPS
 * ```
 */
export const negOp = defineOp<[x: Tensor], void>({
  name: "neg",
  forward(_ctx, x) {
    return negTensor(x);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? negTensor(g) : null];
  },
});

/**
 * Elementwise `-x`; the gradient is `-g`.
 *
 * @example
 * ```ts
 * neg(param(tensor([1, -2]))).toArray(); // [-1, 2]
 * ```
 */
export function neg(x: VarInput): Var {
  return negOp.apply(x);
}
