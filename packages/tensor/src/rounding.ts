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
  const t = Math.trunc(x);
  const frac = Math.abs(x - t); // exact: x - trunc(x) drops only the integer bits
  let r = t;
  if (frac > 0.5 || (frac === 0.5 && t % 2 !== 0)) r = t + (x < 0 ? -1 : 1);
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
  const t = Math.trunc(x);
  const frac = Math.abs(x - t); // exact, see roundHalfEven
  const r = frac >= 0.5 ? t + (x < 0 ? -1 : 1) : t;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}
