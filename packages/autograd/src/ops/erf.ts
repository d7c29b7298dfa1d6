// The erf op (the error function, for exact GELU). The tensor package has no
// erf primitive, so forward evaluates Numerical Recipes' erfc approximation
// (fractional error below 1.2e-7, rescaled so that erf(0) = 0 exactly) with
// tensor ops; backward is exact.
import { type Tensor, abs, add, div, exp, mul, neg, sign, sub } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

// erfc(z) ≈ t·exp(-z² + P(t)) for z >= 0, t = 1 / (1 + z/2) (Numerical Recipes, erfcc).
const P = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

// The approximation at 0, so that erfc(0) is exactly 1 after dividing by it:
// otherwise erf = sign(x)·(1 - erfc|x|) would jump by ~1e-7 at 0.
const ERFC_AT_0 = Math.exp(P.reduce((s, p) => s + p, 0));

function erfForward(x: Tensor): Tensor {
  const z = abs(x);
  const t = div(1, add(mul(z, 0.5), 1));
  let poly: Tensor = mul(t, P[9] as number);
  for (let i = 8; i >= 1; i--) poly = mul(add(poly, P[i] as number), t);
  const erfc = mul(t, exp(add(sub(poly, mul(z, z)), (P[0] as number) - Math.log(ERFC_AT_0))));
  return mul(sign(x), sub(1, erfc));
}

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
    return erfForward(x);
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null];
    const x = ctx.saved;
    return [mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)))];
  },
});

/**
 * The error function `erf(x) = 2/√π ∫₀ˣ e^(-t²) dt`, elementwise (absolute error below 1.2e-7).
 *
 * @example
 * ```ts
 * erf(param(tensor([0, 1]))).toArray(); // [0, 0.8427008]
 * ```
 */
export function erf(x: VarInput): Var {
  return erfOp.apply(x);
}
