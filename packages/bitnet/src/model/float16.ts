// Rounding a number to the nearest IEEE binary16 value (ties to even),
// returned as a number: what storing in an fp16 buffer and reading back does.
// For llama.cpp's default fp16 KV cache. Not a codec (gguf has those).

/**
 * The nearest binary16 value to `x` (ties to even; overflow to ±Infinity,
 * subnormals kept, NaN stays NaN).
 *
 * @example
 * ```ts
 * roundToFloat16(0.1); // 0.0999755859375
 * roundToFloat16(65520); // Infinity
 * ```
 */
export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity; // halfway to the next binade past 65504 rounds up
  let e = Math.max(-14, Math.floor(Math.log2(a)));
  if (e > -14 && 2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (e - 10);
  const q = a / ulp; // exact: dividing by a power of two
  const f = Math.floor(q);
  const d = q - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  const v = r * ulp;
  return x > 0 ? v : -v;
}
