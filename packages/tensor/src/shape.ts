// Shape arithmetic: element counts, contiguous strides, axis normalisation and
// broadcasting. Pure functions on number arrays; no tensors here.
import { ArgumentError, ShapeError, fmtShape } from "./errors.js";

/**
 * A tensor shape, outermost dimension first.
 *
 * @example
 * ```ts
 * const s: Shape = [2, 3]; // 2 rows of 3
 * ```
 */
export type Shape = readonly number[];

/**
 * Number of elements of a shape (1 for a scalar `[]`).
 *
 * @example
 * ```ts
 * numel([2, 3, 4]); // 24
 * numel([]); // 1
 * ```
 */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major (C order) strides of a shape, in elements.
 *
 * @example
 * ```ts
 * contiguousStrides([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * True when two shapes are equal.
 *
 * @example
 * ```ts
 * shapesEqual([2, 3], [2, 3]); // true
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks that every entry is a non-negative safe integer and returns a copy.
 *
 * @example
 * ```ts
 * checkShape([2, 3], "zeros"); // [2, 3]
 * checkShape([2, -1], "zeros"); // throws ShapeError
 * ```
 */
export function checkShape(input: Shape, op: string): number[] {
  // a separate binding: Array.isArray narrows a readonly array to any[]
  const shape: readonly number[] = input;
  if (!Array.isArray(input)) throw new ShapeError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`${op}: shape ${fmtShape(shape)} has an entry that is not a non-negative integer`);
    }
  }
  checkNumel(shape, op);
  return [...shape];
}

/**
 * The most elements one tensor may have: what a typed array can index. Every
 * op that allocates (creation, broadcasting, expand, gather, scatter, ...)
 * checks its output against it before allocating.
 *
 * @example
 * ```ts
 * MAX_ELEMENTS; // 2147483647
 * ```
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Throws a `ShapeError` when `shape` has more than {@link MAX_ELEMENTS} elements; returns the count.
 *
 * @example
 * ```ts
 * checkNumel([2 ** 16, 2 ** 16], "add"); // throws ShapeError: ... 4294967296 elements ...
 * ```
 */
export function checkNumel(shape: Shape, op: string): number {
  const n = numel(shape);
  if (!Number.isSafeInteger(n) || n > MAX_ELEMENTS) {
    throw new ShapeError(`${op}: shape ${fmtShape(shape)} has ${n} elements, more than the ${MAX_ELEMENTS} a tensor may hold`);
  }
  return n;
}

/**
 * Turns a possibly negative axis into an index in `[0, ndim)`.
 *
 * @example
 * ```ts
 * normalizeAxis(-1, 3, "sum"); // 2
 * normalizeAxis(3, 3, "sum"); // throws ArgumentError
 * ```
 */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new ArgumentError(`${op}: axis ${axis} is out of range for ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalises a list of axes (or all axes when `undefined`), sorted and unique.
 *
 * @example
 * ```ts
 * normalizeAxes([-1, 0], 3, "sum"); // [0, 2]
 * normalizeAxes(undefined, 2, "sum"); // [0, 1]
 * ```
 */
export function normalizeAxes(axes: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(a, ndim, op));
  const unique = [...new Set(out)].sort((x, y) => x - y);
  if (unique.length !== out.length) throw new ArgumentError(`${op}: axes [${list.join(",")}] repeat an axis`);
  return unique;
}

/**
 * The shape two shapes broadcast to, by NumPy's rules (align on the right;
 * each pair of sizes must be equal or one of them 1).
 *
 * @example
 * ```ts
 * broadcastShapes([2, 1, 3], [4, 1], "add"); // [2, 4, 3]
 * broadcastShapes([2, 3], [4], "add"); // throws ShapeError
 * ```
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast (dimension ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  checkNumel(out, op);
  return out;
}
