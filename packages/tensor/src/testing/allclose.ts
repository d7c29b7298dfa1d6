// Comparing tensors and arrays within tolerances, as numpy.allclose does:
// |a - b| <= atol + rtol * |b|, NaN equal to NaN only when asked.
import type { NestedArray } from "../format.js";
import { Tensor } from "../tensor.js";
import { shapesEqual } from "../shape.js";

/** Tolerances for {@link allclose}. */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  readonly atol?: number;
  /** Treat NaN as equal to NaN (default false). */
  readonly equalNan?: boolean;
}

/** The first element that differs, or `undefined` when all are close. */
export interface Mismatch {
  readonly index: number;
  readonly actual: number;
  readonly expected: number;
  readonly reason: string;
}

type Comparable = Tensor | ArrayLike<number> | NestedArray;

function flatten(x: Comparable): { values: ArrayLike<number>; shape: number[] | undefined } {
  if (x instanceof Tensor) return { values: x.dataSync(), shape: [...x.shape] };
  if (typeof x === "number") return { values: [x], shape: [] };
  if (Array.isArray(x)) {
    const out: number[] = [];
    const shape: number[] = [];
    let probe: NestedArray = x;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = probe[0];
    }
    const walk = (v: NestedArray): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else out.push(v);
    };
    walk(x);
    return { values: out, shape };
  }
  return { values: x, shape: undefined };
}

/**
 * The first element where `actual` and `expected` are not close (or a shape
 * difference), or `undefined` when they match.
 *
 * @example
 * ```ts
 * findMismatch(tensor([1, 2]), [1, 2.1]); // { index: 1, actual: 2, expected: 2.1, ... }
 * ```
 */
export function findMismatch(actual: Comparable, expected: Comparable, opts: CloseOptions = {}): Mismatch | undefined {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-8;
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.shape !== undefined && e.shape !== undefined && !shapesEqual(a.shape, e.shape)) {
    return { index: -1, actual: NaN, expected: NaN, reason: `shape [${a.shape.join(",")}] differs from [${e.shape.join(",")}]` };
  }
  if (a.values.length !== e.values.length) {
    return { index: -1, actual: NaN, expected: NaN, reason: `length ${a.values.length} differs from ${e.values.length}` };
  }
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = e.values[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y) && opts.equalNan === true) continue;
      return { index: i, actual: x, expected: y, reason: "NaN" };
    }
    if (x === y) continue; // also equal infinities
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      return { index: i, actual: x, expected: y, reason: `|diff| ${Math.abs(x - y)} > ${atol} + ${rtol}·|expected|` };
    }
  }
  return undefined;
}

/**
 * True when every element is close: `|a - b| <= atol + rtol·|b|`.
 *
 * @example
 * ```ts
 * allclose(tensor([1, 2]), [1, 2 + 1e-7]); // true
 * ```
 */
export function allclose(actual: Comparable, expected: Comparable, opts: CloseOptions = {}): boolean {
  return findMismatch(actual, expected, opts) === undefined;
}

/**
 * Matchers for `expect.extend` (vitest or jest): `expect(t).toBeAllClose(ref, { atol })`.
 *
 * @example
 * ```ts
 * import { expect } from "vitest";
 * expect.extend(allCloseMatchers);
 * expect(tensor([1, 2])).toBeAllClose([1, 2]);
 * ```
 */
export const allCloseMatchers = {
  toBeAllClose(received: Comparable, expected: Comparable, opts: CloseOptions = {}): { pass: boolean; message: () => string } {
    const m = findMismatch(received, expected, opts);
    return {
      pass: m === undefined,
      message: () =>
        m === undefined
          ? "expected values not to be all close, but they are"
          : m.index < 0
            ? `expected all close: ${m.reason}`
            : `expected all close: at index ${m.index} got ${m.actual}, expected ${m.expected} (${m.reason})`,
    };
  },
};
