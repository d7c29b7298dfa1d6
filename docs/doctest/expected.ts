// Doctest convention: what a `// ...` comment after a statement asserts.
//
//   expr; // 3                      asserts expr equals 3
//   expr; // [[1, 2], [3, 4]]       arrays, objects ({ type: "string" }), strings, true/false/null, NaN
//   expr; // 0.2658 (rounded)       a literal followed by a remark in ( ) or after " — " / " - "
//   const q = expr; // [1, -1]      asserts the declared variable
//   expr; // throws QuantizationError: message   asserts it throws that error class (message included)
//
// Anything else in a comment (`// Var [1, 3, 300]`, `// 4 ids`) is prose and
// asserts nothing. Tensors compare by toArray(), typed arrays by their values;
// an expected object checks only the keys it lists; numbers match to the
// decimals printed (0.2658 accepts 0.26583), integers to 1e-6 relative.

/** What a comment asserts. */
export type Expected = { readonly kind: "value"; readonly value: unknown; readonly text: string } | { readonly kind: "throws"; readonly name: string; readonly message: string | undefined };

const WORDS = new Set(["true", "false", "null", "NaN", "Infinity", "undefined"]);

/** Whether `text` is a plain literal: no identifiers except the literal words and object keys. */
function isLiteralText(text: string): boolean {
  if (!/^[[{"'\-\d.NItfnu]/.test(text)) return false;
  const noStrings = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "0");
  if (/["'`]/.test(noStrings)) return false;
  for (const m of noStrings.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const word = m[0];
    const after = noStrings.slice((m.index ?? 0) + word.length).trimStart();
    if (WORDS.has(word) || after.startsWith(":")) continue;
    if (/^e[+-]?\d*$/.test(word) && /\d$/.test(noStrings.slice(0, m.index))) continue; // exponent
    return false;
  }
  return /^[\s\d.eE+\-[\]{},:\w$]*$/.test(noStrings);
}

function evalLiteral(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- evaluating the literal written in an example's comment is the point
    return { ok: true, value: new Function(`"use strict"; return (${text});`)() as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * What the comment text (without `//`) asserts, or null when it is prose.
 *
 * @example
 * ```ts
 * parseExpected("[1, 2] (greedy)"); // { kind: "value", value: [1, 2], text: "[1, 2]" }
 * ```
 */
export function parseExpected(comment: string): Expected | null {
  const c = comment.trim();
  const thrown = /^throws\s+([A-Z]\w*)(?::\s*(.+))?$/.exec(c);
  if (thrown !== null) return { kind: "throws", name: thrown[1], message: thrown[2]?.trim() };
  // The longest prefix that is a literal and is followed by nothing or by a remark.
  for (let end = c.length; end > 0; end--) {
    const rest = c.slice(end);
    if (!(rest === "" || /^\s*\(|^\s+(—|–|-)\s/.test(rest))) continue;
    const text = c.slice(0, end).trim();
    if (text === "" || !isLiteralText(text)) continue;
    const v = evalLiteral(text);
    if (v.ok) return { kind: "value", value: v.value, text };
  }
  return null;
}

/** `actual` as plain data: tensors by toArray(), typed arrays as arrays, bigints as numbers. */
export function plain(actual: unknown): unknown {
  if (typeof actual === "bigint") return Number(actual);
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) return Array.from(actual as unknown as ArrayLike<number>);
  if (actual !== null && typeof actual === "object" && "toArray" in actual && "shape" in actual && typeof actual.toArray === "function") return (actual.toArray as () => unknown)();
  return actual;
}

function decimals(n: number): number {
  const s = String(n);
  if (s.includes("e")) return -1;
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * Where `actual` differs from `expected` (a path and the two values), or null when they match.
 *
 * @example
 * ```ts
 * mismatch([1, 0.26583], [1, 0.2658]); // null
 * ```
 */
export function mismatch(actual: unknown, expected: unknown, path = ""): string | null {
  const a = plain(actual);
  if (typeof expected === "number") {
    if (typeof a !== "number") return `${path || "value"}: expected ${expected}, got ${JSON.stringify(a)}`;
    if (Number.isNaN(expected)) return Number.isNaN(a) ? null : `${path || "value"}: expected NaN, got ${a}`;
    if (!Number.isFinite(expected)) return a === expected ? null : `${path || "value"}: expected ${expected}, got ${a}`;
    const d = decimals(expected);
    const tol = d > 0 ? 0.5001 * 10 ** -d + 1e-9 : 1e-6 * Math.max(1, Math.abs(expected));
    return Math.abs(a - expected) <= tol ? null : `${path || "value"}: expected ${expected}, got ${a}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(a)) return `${path || "value"}: expected an array, got ${JSON.stringify(a)}`;
    if (a.length !== expected.length) return `${path || "value"}: expected length ${expected.length}, got ${a.length} (${JSON.stringify(a)})`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(a[i], expected[i], `${path}[${i}]`);
      if (m !== null) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (a === null || typeof a !== "object") return `${path || "value"}: expected an object, got ${JSON.stringify(a)}`;
    for (const [k, v] of Object.entries(expected)) {
      const m = mismatch((a as Record<string, unknown>)[k], v, `${path}.${k}`);
      if (m !== null) return m;
    }
    return null;
  }
  return Object.is(a, expected) ? null : `${path || "value"}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(a)}`;
}
