// The cast op between float dtypes. Casting to an integer dtype has no
// derivative: use `x.value.cast(...)` (a constant) for that.
import { type Tensor, DTypeError } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `cast` op definition: the gradient is cast back to the input's dtype.
 *
 * @example
 * ```ts
 * castOp.name; // "cast": the definition behind cast(), listed in OPS
 * ```
 */
export const castOp = defineOp<[x: Tensor, dtype: "float32" | "float64"], "float32" | "float64">({
  name: "cast",
  forward(ctx, x, dtype) {
    if (x.dtype !== "float32" && x.dtype !== "float64") throw new DTypeError(`cast: only float inputs are differentiable, got ${x.dtype}`);
    if ((dtype as string) !== "float32" && (dtype as string) !== "float64") throw new DTypeError(`cast: the target must be float32 or float64, got ${dtype}`);
    ctx.save(x.dtype);
    return x.cast(dtype);
  },
  backward(ctx, g) {
    return [ctx.needsGrad[0] ? g.cast(ctx.saved) : null, null];
  },
});

/**
 * Converts between float dtypes (float32 <-> float64).
 *
 * @example
 * ```ts
 * cast(param(tensor([1.5])), "float64").dtype; // "float64"
 * ```
 */
export function cast(x: VarInput, dtype: "float32" | "float64"): Var {
  return castOp.apply(x, dtype);
}
