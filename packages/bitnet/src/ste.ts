// Straight-through estimators as autograd ops: forward is exactly the
// fake-quantized value (quantize, then dequantize), backward is the identity.
// This is `x + detach(q(x) - x)` without the extra float rounding of the sum.
// The Rust crate's STE passes no gradient at all under candle; this one does.
import { type OpContext, type Var, defineOp } from "@bitnet-quantize/autograd";
import type { Tensor } from "@bitnet-quantize/tensor";
import { type Int8Options, absMaxInt8, dequantizeInt8 } from "./quantize-activations.js";
import { type TernaryOptions, absMeanTernary, dequantizeTernary } from "./quantize-weights.js";

/**
 * The op behind {@link ternarySTE}: forward `dequantizeTernary(absMeanTernary(w))`, backward identity.
 *
 * @example
 * ```ts
 * ternarySTEOp.apply(w, { groupSize: "row" });
 * ```
 */
export const ternarySTEOp = defineOp({
  name: "ternarySTE",
  forward: (_ctx: OpContext<void>, w: Tensor, opts: TernaryOptions): Tensor => dequantizeTernary(absMeanTernary(w, opts)).cast(w.dtype),
  backward: (_ctx, g) => [g, null],
});

/**
 * The op behind {@link int8STE}: forward `dequantizeInt8(absMaxInt8(x))`, backward identity.
 *
 * @example
 * ```ts
 * int8STEOp.apply(x, { bits: 8 });
 * ```
 */
export const int8STEOp = defineOp({
  name: "int8STE",
  forward: (_ctx: OpContext<void>, x: Tensor, opts: Int8Options): Tensor => dequantizeInt8(absMaxInt8(x, opts)).cast(x.dtype),
  backward: (_ctx, g) => [g, null],
});

/**
 * Fake-quantizes weights to ternary (AbsMean) with a straight-through gradient.
 *
 * @example
 * ```ts
 * const w = param(tensor([[0.9, -0.2, 0.4]]));
 * const q = ternarySTE(w); // values t·s: [[0.5, 0, 0.5]], s = mean|w| = 0.5
 * q.sum().backward(); // w.grad is [[1, 1, 1]]
 * ```
 */
export function ternarySTE(w: Var | Tensor, opts: TernaryOptions = {}): Var {
  return ternarySTEOp.apply(w, opts);
}

/**
 * Fake-quantizes activations to `bits` bits (AbsMax) with a straight-through gradient.
 *
 * @example
 * ```ts
 * const x = param(tensor([[0.5, -1]]));
 * int8STE(x).value.toArray(); // [[0.50393..., -1]]
 * ```
 */
export function int8STE(x: Var | Tensor, opts: Int8Options = {}): Var {
  return int8STEOp.apply(x, opts);
}
