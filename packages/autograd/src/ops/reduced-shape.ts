// A helper of the reductions' backward: bring a reduced gradient back to the
// input's rank (reduced axes as size 1), ready to broadcast. Not an op.
import { type Shape, type Tensor, add, div, eq, mul, ne, normalizeAxes, sum } from "@bitnet-quantize/tensor";

/**
 * The input shape with the reduced `axes` set to 1 (what keepDims gives).
 *
 * @example
 * ```ts
 * keptShape([2, 3, 4], [1]); // [2, 1, 4]
 * ```
 */
export function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * Normalised reduction axes (all when `undefined`), sorted and unique.
 *
 * @example
 * ```ts
 * reductionAxes(-1, 3, "sum"); // [2]
 * ```
 */
export function reductionAxes(axes: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  return normalizeAxes(axes, ndim, op);
}

/**
 * A reduction's output gradient reshaped to keepDims form and broadcast to `shape`.
 *
 * @example
 * ```ts
 * unreduce(tensor([1, 2]), [2, 3], [1]).toArray(); // [[1, 1, 1], [2, 2, 2]]
 * ```
 */
export function unreduce(g: Tensor, shape: Shape, axes: readonly number[]): Tensor {
  return g.reshape(keptShape(shape, axes)).expand(shape);
}

/**
 * The gradient of max or min over `axes`: `g` goes to the elements equal to
 * the extreme `out`, split evenly between ties (as PyTorch's amax/amin); when
 * the extreme is NaN, to the NaN elements (as PyTorch), not NaN everywhere.
 *
 * @example
 * ```ts
 * extremumGrad(tensor([1, 3, 3]), tensor(3), [0], tensor(1)).toArray(); // [0, 0.5, 0.5]
 * ```
 */
export function extremumGrad(x: Tensor, out: Tensor, axes: readonly number[], g: Tensor): Tensor {
  const kept = keptShape(x.shape, axes);
  const o = out.reshape(kept);
  // x == out, or both NaN (x != x only for NaN); the two never overlap
  const hit = add(eq(x, o).cast(g.dtype), mul(ne(x, x).cast(g.dtype), ne(o, o).cast(g.dtype)));
  const count = sum(hit, axes, { keepDims: true });
  return mul(hit, div(g.reshape(kept), count));
}
