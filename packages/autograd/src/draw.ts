// Drawing random op inputs for gradient checks: the small `Draw` interface
// (a source of random choices: fast-check in property tests, a seeded
// Generator elsewhere) and the helpers the OPS table builds on. No fast-check here.
import { type Shape, type Tensor, numel, tensor } from "@bitnet-quantize/tensor";

/**
 * A source of random choices. Property tests implement it with fast-check
 * (so failures shrink); `generatorDraw` in `./testing` with a seeded Generator.
 *
 * @example
 * ```ts
 * const d: Draw = generatorDraw(new Generator(1));
 * d.integer(1, 3); // 1, 2 or 3
 * ```
 */
export interface Draw {
  /** A uniform integer in `[min, max]` (both included). */
  integer(min: number, max: number): number;
  /** A float in `[min, max]`. */
  float(min: number, max: number): number;
}

/** Limits of {@link drawShape}. */
export interface DrawShapeOptions {
  readonly minDims?: number;
  readonly maxDims?: number;
  readonly minSize?: number;
  readonly maxSize?: number;
}

/**
 * A shape with `minDims..maxDims` dimensions (default 0..3) of `minSize..maxSize` each (default 1..3).
 *
 * @example
 * ```ts
 * drawShape(d, { minDims: 2, maxDims: 2 }); // e.g. [3, 1]
 * ```
 */
export function drawShape(d: Draw, opts: DrawShapeOptions = {}): number[] {
  const n = d.integer(opts.minDims ?? 0, opts.maxDims ?? 3);
  return Array.from({ length: n }, () => d.integer(opts.minSize ?? 1, opts.maxSize ?? 3));
}

/**
 * Two shapes that broadcast together: a common shape with some sizes set to 1
 * in either, and some leading dimensions dropped.
 *
 * @example
 * ```ts
 * drawBroadcastPair(d); // e.g. [[2, 1, 3], [4, 1]]... always broadcastable
 * ```
 */
export function drawBroadcastPair(d: Draw, opts: DrawShapeOptions = {}): [number[], number[]] {
  const full = drawShape(d, opts);
  const variant = (): number[] => {
    const ones = full.map((s) => (d.integer(0, 2) === 0 ? 1 : s));
    return ones.slice(d.integer(0, full.length));
  };
  return [variant(), variant()];
}

/**
 * A random permutation of `0..n-1`.
 *
 * @example
 * ```ts
 * drawPermutation(d, 3); // e.g. [2, 0, 1]
 * ```
 */
export function drawPermutation(d: Draw, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = d.integer(0, i);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** How {@link drawTensor} picks values. */
export interface DrawValueOptions {
  /** Lower bound (default -2). */
  readonly min?: number;
  /** Upper bound (default 2). */
  readonly max?: number;
  /** Kinks to stay away from: values within `margin` of one are moved `2·margin` up. */
  readonly avoid?: readonly number[];
  /** Distance kept from `avoid` (default 0.05). */
  readonly margin?: number;
  /** Random sign (for magnitudes drawn in `[min, max]` with min > 0). */
  readonly randomSign?: boolean;
  /** All values distinct and at least 0.1 apart (for max/min). */
  readonly distinct?: boolean;
  /** Values `k + offset ± 0.1` for integers k in range (two operands with offsets 0.25 and 0.75 never come within 0.3). */
  readonly latticeOffset?: number;
  /** Also return non-contiguous views (a transposed copy viewed back, or a strided slice); default true. */
  readonly views?: boolean;
}

function drawValues(d: Draw, n: number, o: DrawValueOptions): Float64Array {
  const min = o.min ?? -2;
  const max = o.max ?? 2;
  const out = new Float64Array(n);
  if (o.distinct === true) {
    const perm = drawPermutation(d, n);
    for (let i = 0; i < n; i++) out[i] = min + (perm[i] + d.float(0, 0.5)) * 0.2;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let v: number;
    if (o.latticeOffset !== undefined) v = d.integer(Math.ceil(min), Math.floor(max)) + o.latticeOffset + d.float(-0.1, 0.1);
    else v = d.float(min, max);
    const margin = o.margin ?? 0.05;
    for (const k of o.avoid ?? []) if (Math.abs(v - k) < margin) v = k + 2 * margin;
    if (o.randomSign === true && d.integer(0, 1) === 1) v = -v;
    out[i] = v;
  }
  return out;
}

/**
 * A float64 tensor of `shape` with values drawn by `opts`; with `views`
 * (default) it may be a non-contiguous view holding the same values.
 *
 * @example
 * ```ts
 * drawTensor(d, [2, 3], { min: 0.5, max: 2 }).dtype; // "float64"
 * ```
 */
export function drawTensor(d: Draw, shape: Shape, opts: DrawValueOptions = {}): Tensor {
  const n = numel(shape);
  const values = drawValues(d, n, opts);
  const kind = opts.views === false || shape.length === 0 ? 0 : d.integer(0, 2);
  if (kind === 1 && shape.length >= 2) {
    // materialise the transpose, then view it transposed back
    const last = shape.length - 1;
    return tensor(values, shape, "float64").transpose(0, last).contiguous().transpose(0, last);
  }
  if (kind === 2) {
    // every second element of a tensor twice as wide, padded with junk
    const last = shape.length - 1;
    const wide = shape.map((s, i) => (i === last ? s * 2 : s));
    const data = new Float64Array(n * 2).fill(999);
    for (let i = 0; i < n; i++) data[2 * i] = values[i];
    return tensor(data, wide, "float64").slice(last, 0, undefined, 2);
  }
  return tensor(values, shape, "float64");
}
