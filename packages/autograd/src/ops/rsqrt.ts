// The rsqrt op: forward and backward of one elementwise function. Shapes
// are unchanged, so no broadcasting needs undoing.
import { type Tensor, mul, rsqrt as rsqrtTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `rsqrt` op definition: `1/√x`; the gradient is `-g · y³ / 2` with `y = 1/√x`.
 *
 * @example
 * ```ts
 * rsqrtOp.name; // "rsqrt": the definition behind rsqrt(), listed in OPS
 * ```
 */
export const rsqrtOp = defineOp<[x: Tensor], Tensor>({
  name: "rsqrt",
  forward(ctx, x) {
    const out = rsqrtTensor(x);
    ctx.save(out);
    return out;
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? mul(g, mul(mul(ctx.saved, ctx.saved), mul(ctx.saved, -0.5))) : null];
  },
});

/**
 * Elementwise `1/√x`; the gradient is `-g · y³ / 2` with `y = 1/√x`.
 *
 * @example
 * ```ts
 * rsqrt(param(tensor([4]))).toArray(); // [0.5]
 * ```
 */
export function rsqrt(x: VarInput): Var {
  return rsqrtOp.apply(x);
}
