// Rounding functions with explicit tie rules. Quantizers must say how ties
// go; JavaScript's Math.round rounds -0.5 to -0, which matches neither rule.

/**
 * Rounds to the nearest integer, ties to even (banker's rounding), as
 * `torch.round` and ggml do. Keeps the sign of zero.
 *
 * @example
 * ```ts
 * roundHalfEven(2.5); // 2
 * roundHalfEven(3.5); // 4
 * roundHalfEven(-0.5); // -0
 * ```
 */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  let r: number;
  if (diff > 0.5) r = f + 1;
  else if (diff < 0.5) r = f;
  else r = f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/**
 * Rounds to the nearest integer, ties away from zero, as C's `roundf`/`lroundf`
 * and Rust's `f32::round` do.
 *
 * @example
 * ```ts
 * roundHalfAway(2.5); // 3
 * roundHalfAway(-2.5); // -3
 * roundHalfAway(-0.4); // -0
 * ```
 */
export function roundHalfAway(x: number): number {
  const a = Math.floor(Math.abs(x) + 0.5);
  // floor(|x| + 0.5) can round up wrongly when |x| + 0.5 is not exact (|x| = 0.49999999999999994)
  const fixed = a - Math.abs(x) > 0.5 ? a - 1 : a;
  return x < 0 || Object.is(x, -0) ? -fixed : fixed;
}
