// Explicit rounding rules used by the quantizers (C's roundf / lroundf: ties away from zero).
// Not Math.round, which rounds ties toward +Infinity.

/**
 * Rounds to the nearest integer, ties away from zero, as C's `roundf` and `lroundf`.
 *
 * @example
 * ```ts
 * roundHalfAwayFromZero(0.5);  // 1
 * roundHalfAwayFromZero(-0.5); // -1
 * roundHalfAwayFromZero(2.49); // 2
 * ```
 */
export function roundHalfAwayFromZero(x: number): number {
  const a = Math.abs(x);
  const whole = Math.floor(a);
  // a - whole is exact in binary floating point, so the tie test is exact.
  const r = a - whole >= 0.5 ? whole + 1 : whole;
  return x < 0 ? -r : r;
}
