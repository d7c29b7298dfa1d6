// Element-by-element comparison of large typed arrays (vitest's deep equality is slow on them).

/** The first index where `a` and `b` differ (Object.is, so NaN equals NaN and 0 differs from -0), -1 if none. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
