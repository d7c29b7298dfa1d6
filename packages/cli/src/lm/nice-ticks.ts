// Axis ticks at round numbers (1, 2 or 5 times a power of ten), as plotting
// libraries place them. Not the drawing.

/**
 * Ticks covering `[lo, hi]` at a round step, about `count` of them: the
 * first tick is at or below `lo`, the last at or above `hi`.
 *
 * @example
 * ```ts
 * niceTicks(0.3, 5.8, 6); // [0, 1, 2, 3, 4, 5, 6]
 * niceTicks(1, 160, 5);   // [0, 50, 100, 150, 200]
 * ```
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const rough = (hi - lo) / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * pow >= rough) ?? 10) * pow;
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  const out: number[] = [];
  // Multiply integers by the step (not accumulate) so 0.1 + 0.2 never shows up as 0.30000000000000004.
  for (let i = first; i <= last; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}
