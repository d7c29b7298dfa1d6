// Shared command-line helpers of the examples (argument parsing itself is
// node:util's parseArgs).

/**
 * Parses a numeric option's text: undefined gives the fallback; anything that
 * is not a finite non-negative number (integer when asked) throws naming the option.
 *
 * @example
 * ```ts
 * numberOption("epochs", "3", 5); // 3
 * numberOption("epochs", undefined, 5); // 5
 * numberOption("lr", "abc", 0.1, { integer: false }); // throws: --lr must be a non-negative number, got "abc"
 * ```
 */
export function numberOption(name: string, text: string | undefined, fallback: number, opts: { integer?: boolean } = {}): number {
  if (text === undefined) return fallback;
  const integer = opts.integer ?? true;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be a ${integer ? "non-negative integer" : "non-negative number"}, got ${JSON.stringify(text)}`);
  }
  return n;
}
