// Layout: how a tensor's elements sit in its storage (shape, strides, offset),
// and the view transforms on it. Views never touch the data.
import { ArgumentError, ShapeError, fmtShape } from "./errors.js";
import { type Shape, checkNumel, contiguousStrides, numel, normalizeAxis } from "./shape.js";

/**
 * Where a tensor's elements live in its storage: element `[i0, i1, ...]` is at
 * `offset + i0 * strides[0] + i1 * strides[1] + ...`. Strides may be 0
 * (broadcast) but never negative.
 *
 * @example
 * ```ts
 * const l: Layout = { shape: [2, 3], strides: [3, 1], offset: 0 }; // a contiguous 2x3
 * ```
 */
export interface Layout {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * The contiguous row-major layout of a shape.
 *
 * @example
 * ```ts
 * contiguousLayout([2, 3]); // { shape: [2, 3], strides: [3, 1], offset: 0 }
 * ```
 */
export function contiguousLayout(shape: Shape): Layout {
  return { shape: [...shape], strides: contiguousStrides(shape), offset: 0 };
}

/**
 * True when the layout is row-major with no gaps (the offset may be non-zero).
 * Dimensions of size 1 may have any stride.
 *
 * @example
 * ```ts
 * isContiguous({ shape: [2, 3], strides: [3, 1], offset: 0 }); // true
 * isContiguous({ shape: [3, 2], strides: [1, 3], offset: 0 }); // false (a transpose)
 * ```
 */
export function isContiguous(layout: Layout): boolean {
  let expected = 1;
  for (let i = layout.shape.length - 1; i >= 0; i--) {
    const d = layout.shape[i];
    if (d === 1) continue;
    if (layout.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * Resolves a target shape with at most one `-1` against an element count.
 *
 * @example
 * ```ts
 * inferShape([-1, 4], 12, "reshape"); // [3, 4]
 * ```
 */
export function inferShape(shape: Shape, count: number, op: string): number[] {
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) throw new ShapeError(`${op}: only one dimension can be -1, got ${fmtShape(shape)}`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid size ${d} in ${fmtShape(shape)}`);
    } else known *= d;
  });
  const out = [...shape];
  if (unknown >= 0) {
    if (known === 0 || count % known !== 0) {
      throw new ShapeError(`${op}: cannot infer -1 in ${fmtShape(shape)} for ${count} elements`);
    }
    out[unknown] = count / known;
  } else if (known !== count) {
    throw new ShapeError(`${op}: shape ${fmtShape(shape)} has ${known} elements, the tensor has ${count}`);
  }
  return out;
}

/**
 * The strides that view `layout` as `shape` without copying, or `undefined`
 * when that is impossible (then a copy is needed). Works whenever each new
 * dimension spans a run of old dimensions that are contiguous with each other,
 * as PyTorch's `view` does.
 *
 * @example
 * ```ts
 * viewStrides({ shape: [2, 3], strides: [3, 1], offset: 0 }, [3, 2]); // [2, 1]
 * viewStrides({ shape: [3, 2], strides: [1, 3], offset: 0 }, [6]); // undefined
 * ```
 */
export function viewStrides(layout: Layout, shape: Shape): number[] | undefined {
  // PyTorch's computeStride: walk old dimensions from the right in "chunks" that
  // are contiguous with each other; each chunk must be covered exactly by a run
  // of new dimensions.
  const oldShape = layout.shape;
  const oldStrides = layout.strides;
  if (numel(oldShape) === 0 || oldShape.length === 0) return contiguousStrides(shape);
  const out = new Array<number>(shape.length).fill(1);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    const chunkEnds = d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase);
    if (!chunkEnds) continue;
    while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
      out[viewD] = viewNumel * chunkBase;
      viewNumel *= shape[viewD];
      viewD--;
    }
    if (viewNumel !== tensorNumel) return undefined;
    if (d > 0) {
      chunkBase = oldStrides[d - 1];
      tensorNumel = 1;
      viewNumel = 1;
    }
  }
  if (viewD !== -1) return undefined;
  return out;
}

/**
 * Permutes dimensions: `dims[i]` is the old dimension that becomes dimension i.
 *
 * @example
 * ```ts
 * permuteLayout(contiguousLayout([2, 3]), [1, 0]); // { shape: [3, 2], strides: [1, 3], offset: 0 }
 * ```
 */
export function permuteLayout(layout: Layout, dims: readonly number[]): Layout {
  const n = layout.shape.length;
  if (dims.length !== n) throw new ArgumentError(`permute: got ${dims.length} dims for a tensor of ${n} dimension(s)`);
  const norm = dims.map((d) => normalizeAxis(d, n, "permute"));
  if (new Set(norm).size !== n) throw new ArgumentError(`permute: dims [${dims.join(",")}] are not a permutation`);
  return {
    shape: norm.map((d) => layout.shape[d]),
    strides: norm.map((d) => layout.strides[d]),
    offset: layout.offset,
  };
}

/**
 * Broadcasts a layout to a larger shape by giving new and size-1 dimensions
 * stride 0. `-1` keeps a dimension's size.
 *
 * @example
 * ```ts
 * expandLayout(contiguousLayout([3]), [2, 3]); // { shape: [2, 3], strides: [0, 1], offset: 0 }
 * ```
 */
export function expandLayout(layout: Layout, shape: Shape): Layout {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < -1)) {
    throw new ShapeError(`expand: target ${Array.isArray(shape) ? fmtShape(shape) : String(shape)} must hold integers >= 0 (or -1 to keep a dimension)`);
  }
  const n = shape.length;
  const m = layout.shape.length;
  if (n < m) throw new ShapeError(`expand: cannot expand ${fmtShape(layout.shape)} to fewer dimensions ${fmtShape(shape)}`);
  const strides = new Array<number>(n);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const j = i - (n - m);
    const target = shape[i] as number;
    if (j < 0) {
      if (target < 0) throw new ShapeError(`expand: -1 is not allowed for a new dimension (${fmtShape(shape)})`);
      out[i] = target;
      strides[i] = 0;
      continue;
    }
    const d = layout.shape[j];
    if (target === -1 || target === d) {
      out[i] = d;
      strides[i] = layout.strides[j];
    } else if (d === 1) {
      out[i] = target;
      strides[i] = 0;
    } else {
      throw new ShapeError(`expand: cannot expand ${fmtShape(layout.shape)} to ${fmtShape(shape)} (dimension ${i}: ${d} vs ${target})`);
    }
  }
  checkNumel(out, "expand");
  return { shape: out, strides, offset: layout.offset };
}

/**
 * Narrows one dimension to `length` elements starting at `start` (a view).
 *
 * @example
 * ```ts
 * narrowLayout(contiguousLayout([4, 3]), 0, 1, 2); // { shape: [2, 3], strides: [3, 1], offset: 3 }
 * ```
 */
export function narrowLayout(layout: Layout, axis: number, start: number, length: number): Layout {
  const a = normalizeAxis(axis, layout.shape.length, "narrow");
  const d = layout.shape[a];
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > d) {
    throw new ArgumentError(`narrow: start ${start} and length ${length} do not fit dimension ${a} of size ${d}`);
  }
  const shape = [...layout.shape];
  shape[a] = length;
  return { shape, strides: [...layout.strides], offset: layout.offset + start * layout.strides[a] };
}

/**
 * Takes every `step`-th element of `[start, end)` along an axis (a view).
 *
 * @example
 * ```ts
 * stepLayout(contiguousLayout([6]), 0, 1, 6, 2); // { shape: [3], strides: [2], offset: 1 }
 * ```
 */
export function stepLayout(layout: Layout, axis: number, start: number, end: number, step: number): Layout {
  const a = normalizeAxis(axis, layout.shape.length, "slice");
  if (!Number.isInteger(step) || step <= 0) throw new ArgumentError(`slice: step must be a positive integer, got ${step}`);
  const length = Math.max(0, Math.ceil((end - start) / step));
  const shape = [...layout.shape];
  const strides = [...layout.strides];
  shape[a] = length;
  const stride = layout.strides[a];
  strides[a] = stride * step;
  return { shape, strides, offset: layout.offset + (length > 0 ? start * stride : 0) };
}
