// The erf op (the error function, for exact GELU): forward is the tensor
// package's erf primitive (float64-exact on float64 tensors, good to 1.2e-7 on
// float32 ones); backward is exact.
import { type Tensor, erf as erfTensor, exp, mul, neg } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `erf` op definition: `erf'(x) = 2/√π · e^(-x²)`.
 *
 * @example
 * ```ts
 * erfOp.name; // "erf": the definition behind erf(), listed in OPS
 * ```
 */
export const erfOp = defineOp<[x: Tensor], Tensor>({
  name: "erf",
  forward(ctx, x) {
    ctx.save(x);
    return erfTensor(x);
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null];
    const x = ctx.saved;
    return [mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)))];
  },
});

/**
 * The error function `erf(x) = 2/√π ∫₀ˣ e^(-t²) dt`, elementwise: relative error
 * below 1e-15 on float64, absolute error below 1.2e-7 on float32.
 *
 * @example
 * ```ts
 * erf(param(tensor([0, 1]))).toArray(); // [0, 0.8427008]
 * ```
 */
export function erf(x: VarInput): Var {
  return erfOp.apply(x);
}
