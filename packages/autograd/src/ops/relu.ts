// The relu op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, gt, relu as reluTensor, where } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `relu` op definition: `max(x, 0)`; the gradient is `g` where the output is positive, else 0 (0 at x = 0, as PyTorch).
 *
 * @example
 * ```ts
 * reluOp.name; // "relu": the definition behind relu(), listed in OPS
 * ```
 */
export const reluOp = defineOp<[x: Tensor], Tensor>({
  name: "relu",
  forward(ctx, x) {
    const out = reluTensor(x);
    ctx.save(out);
    return out;
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? where(gt(ctx.saved, 0), g, 0) : null];
  },
});

/**
 * Elementwise `max(x, 0)`; the gradient is `g` where the output is positive, else 0 (0 at x = 0, as PyTorch).
 *
 * @example
 * ```ts
 * relu(param(tensor([-1, 2]))).toArray(); // [0, 2]
 * ```
 */
export function relu(x: VarInput): Var {
  return reluOp.apply(x);
}
