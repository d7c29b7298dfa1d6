// A helper of the reductions' backward: bring a reduced gradient back to the
// input's rank (reduced axes as size 1), ready to broadcast. Not an op.
import { type Shape, type Tensor, normalizeAxes } from "@bitnet-quantize/tensor";

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
