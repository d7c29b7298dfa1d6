// The clamp op: `min(max(x, lo), hi)` with number bounds. For tensor bounds
// compose `maximum` and `minimum`, which differentiate in the bounds too.
import { type Tensor, ArgumentError, clamp as clampTensor, ge, le, mul, where } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

interface ClampSaved {
  readonly x: Tensor;
  readonly lo: number | undefined;
  readonly hi: number | undefined;
}

/**
 * The `clamp` op definition: the gradient is `g` where `lo <= x <= hi` (bounds included, as PyTorch), else 0.
 *
 * @example
 * ```ts
 * clampOp.name; // "clamp": the definition behind clamp(), listed in OPS
 * ```
 */
export const clampOp = defineOp<[x: Tensor, lo: number | undefined, hi: number | undefined], ClampSaved>({
  name: "clamp",
  forward(ctx, x, lo, hi) {
    if (lo === undefined && hi === undefined) throw new ArgumentError("clamp: give at least one of min and max");
    ctx.save({ x, lo, hi });
    return clampTensor(x, lo, hi);
  },
  backward(ctx, g) {
    if (!ctx.needsGrad[0]) return [null, null, null];
    const { x, lo, hi } = ctx.saved;
    let inside: Tensor | undefined;
    if (lo !== undefined) inside = ge(x, lo);
    if (hi !== undefined) inside = inside === undefined ? le(x, hi) : mul(inside, le(x, hi));
    return [where(inside as Tensor, g, 0), null, null];
  },
});

/**
 * Clamps into `[min, max]`; either bound may be left out (not both).
 *
 * @example
 * ```ts
 * clamp(param(tensor([-2, 0, 2])), -1, 1).toArray(); // [-1, 0, 1]
 * ```
 */
export function clamp(x: VarInput, min?: number, max?: number): Var {
  return clampOp.apply(x, min, max);
}
