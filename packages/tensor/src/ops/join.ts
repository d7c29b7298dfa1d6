// Joining and splitting along an axis: concat, stack, split, chunk.
import { promoteTypes } from "../dtype.js";
import { ArgumentError, ShapeError, fmtShape } from "../errors.js";
import { normalizeAxis } from "../shape.js";
import { type Tensor, fromStorage, sameBackend } from "../tensor.js";

/**
 * Joins tensors along an existing axis; all other dimensions must agree.
 * Mixed dtypes are promoted.
 *
 * @example
 * ```ts
 * concat([tensor([[1, 2]]), tensor([[3, 4]])], 0).toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = tensors[0];
  if (first === undefined) throw new ArgumentError("concat: needs at least one tensor");
  const a = normalizeAxis(axis, first.ndim, "concat");
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${tensors.map((x) => fmtShape(x.shape)).join(", ")} differ outside axis ${a}`);
    }
  }
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const backend = sameBackend("concat", ...tensors);
  const shape = first.shape.map((d, i) => (i === a ? tensors.reduce((s, t) => s + t.shape[a], 0) : d));
  return fromStorage(backend.concat(tensors.map((t) => t.cast(dtype).view), a), shape, dtype);
}

/**
 * Joins tensors of equal shape along a new axis.
 *
 * @example
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = tensors[0];
  if (first === undefined) throw new ArgumentError("stack: needs at least one tensor");
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(`stack: shapes ${tensors.map((x) => fmtShape(x.shape)).join(", ")} are not all equal`);
    }
  }
  const a = normalizeAxis(axis, first.ndim + 1, "stack");
  return concat(tensors.map((t) => t.unsqueeze(a)), a);
}

/**
 * The piece lengths of a split of a dimension of size `dim`: a number gives
 * pieces of that size (the last may be smaller), an array is checked to add up
 * to `dim`. Shared by the tensor and autograd `split`.
 *
 * @example
 * ```ts
 * splitSizes(5, 2, 0); // [2, 2, 1]
 * splitSizes(5, [1, 4], 0); // [1, 4]
 * ```
 */
export function splitSizes(dim: number, sizes: number | readonly number[], axis: number): number[] {
  if (typeof sizes === "number") {
    if (!Number.isInteger(sizes) || sizes <= 0) throw new ArgumentError(`split: size must be a positive integer, got ${sizes}`);
    const list: number[] = [];
    for (let s = 0; s < dim; s += sizes) list.push(Math.min(sizes, dim - s));
    return list;
  }
  const list = [...sizes];
  if (list.some((s) => !Number.isInteger(s) || s < 0) || list.reduce((p, s) => p + s, 0) !== dim) {
    throw new ArgumentError(`split: sizes [${list.join(",")}] do not add up to dimension ${axis} of size ${dim}`);
  }
  return list;
}

/**
 * Splits into views along `axis`: a number gives pieces of that size (the last
 * may be smaller), an array gives the sizes, which must add up to the dimension.
 *
 * @example
 * ```ts
 * split(arange(5), 2).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
 * split(arange(5), [1, 4]).map((t) => t.shape); // [[1], [4]]
 * ```
 */
export function split<T extends Tensor>(x: T, sizes: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis(axis, x.ndim, "split");
  let start = 0;
  return splitSizes(x.shape[a], sizes, a).map((len) => {
    const piece = x.narrow(a, start, len);
    start += len;
    return piece;
  });
}

/**
 * Splits into `chunks` nearly equal views along `axis` (as `torch.chunk`).
 *
 * @example
 * ```ts
 * chunk(arange(6), 3).map((t) => t.toArray()); // [[0, 1], [2, 3], [4, 5]]
 * ```
 */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ArgumentError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const dim = x.shape[normalizeAxis(axis, x.ndim, "chunk")];
  return split(x, Math.max(1, Math.ceil(dim / chunks)), axis);
}
