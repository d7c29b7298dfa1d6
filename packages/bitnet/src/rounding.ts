// Rounding modes for the quantizers. Ties matter: torch and ggml round half
// to even, the Rust crate half away from zero. Math.round is never used.
import { type Tensor, abs, add, floor, mul, round, roundHalfAway, roundHalfEven, sign } from "@bitnet-quantize/tensor";

/**
 * How a quantizer rounds ties: `"half-even"` (default; torch, ggml) or
 * `"half-away"` (the Rust crate, C's `roundf`).
 *
 * @example
 * ```ts
 * const r: RoundingMode = "half-away";
 * ```
 */
export type RoundingMode = "half-even" | "half-away";

/**
 * The scalar rounding function of a mode.
 *
 * @example
 * ```ts
 * roundingFunction("half-even")(2.5); // 2
 * roundingFunction("half-away")(2.5); // 3
 * ```
 */
export function roundingFunction(mode: RoundingMode): (x: number) => number {
  return mode === "half-even" ? roundHalfEven : roundHalfAway;
}

/**
 * Rounds a tensor with a mode, using tensor ops (works on any backend).
 *
 * @example
 * ```ts
 * roundTensor(tensor([0.5, 1.5, -0.5]), "half-away").toArray(); // [1, 2, -1]
 * ```
 */
export function roundTensor(x: Tensor, mode: RoundingMode): Tensor {
  if (mode === "half-even") return round(x);
  return mul(sign(x), floor(add(abs(x), 0.5)));
}

/** Checks a rounding mode name. */
export function isRoundingMode(x: unknown): x is RoundingMode {
  return x === "half-even" || x === "half-away";
}
