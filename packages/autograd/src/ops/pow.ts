// The pow op: `a ** b` with broadcasting, differentiable in both the base and
// the exponent.
import { type Tensor, eq, log, mul, pow as powTensor, sub, where, zerosLike } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarLike } from "../var.js";

interface PowSaved {
  readonly a: Tensor | number;
  readonly b: Tensor | number;
  readonly out: Tensor;
}

/**
 * The `pow` op definition: `∂a = g·b·a^(b-1)` (0 where b = 0),
 * `∂b = g·a^b·ln a` (0 where a = 0, as PyTorch; NaN for a < 0).
 *
 * @example
 * ```ts
 * powOp.name; // "pow": the definition behind pow(), listed in OPS
 * ```
 */
export const powOp = defineOp<[a: Tensor | number, b: Tensor | number], PowSaved>({
  name: "pow",
  forward(ctx, a, b) {
    const out = powTensor(a, b);
    ctx.save({ a, b, out });
    return out;
  },
  backward(ctx, g) {
    const { a, b, out } = ctx.saved;
    let ga: Tensor | null = null;
    if (ctx.needsGrad[0] && typeof a !== "number") {
      if (b === 0) ga = zerosLike(a);
      else {
        const d = mul(mul(g, b), powTensor(a, typeof b === "number" ? b - 1 : sub(b, 1)));
        ga = sumToShape(typeof b === "number" ? d : where(eq(b, 0), 0, d), a.shape);
      }
    }
    let gb: Tensor | null = null;
    if (ctx.needsGrad[1] && typeof b !== "number") {
      const d = mul(g, mul(out, typeof a === "number" ? Math.log(a) : log(a)));
      const masked = typeof a === "number" ? (a === 0 ? zerosLike(d) : d) : where(eq(a, 0), 0, d);
      gb = sumToShape(masked, b.shape);
    }
    return [ga, gb];
  },
});

/**
 * `a ** b`, broadcasting; numbers are constants.
 *
 * @example
 * ```ts
 * pow(param(tensor([2, 3])), 2).toArray(); // [4, 9]
 * ```
 */
export function pow(a: VarLike, b: VarLike): Var {
  return powOp.apply(a, b);
}
