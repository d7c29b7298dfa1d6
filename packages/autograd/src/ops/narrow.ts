// The narrow op: `length` elements from `start` along one axis (a view).
// Backward places the gradient back between zeros (a concat).
import { type Shape, type Tensor, concat, normalizeAxis, zeros } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import type { Var, VarInput } from "../var.js";

interface NarrowSaved {
  readonly shape: Shape;
  readonly axis: number;
  readonly start: number;
}

/**
 * The gradient of a narrow: `g` padded with zeros to `shape` along `axis`,
 * starting at `start`.
 *
 * @example
 * ```ts
 * padNarrowed(tensor([5]), [3], 0, 1).toArray(); // [0, 5, 0]
 * ```
 */
export function padNarrowed(g: Tensor, shape: Shape, axis: number, start: number): Tensor {
  const size = shape[axis];
  const length = g.shape[axis];
  if (length === size) return g;
  const pieces: Tensor[] = [];
  const zerosOf = (n: number): Tensor => zeros(shape.map((d, i) => (i === axis ? n : d)), g.dtype, g.backend);
  if (start > 0) pieces.push(zerosOf(start));
  pieces.push(g);
  if (start + length < size) pieces.push(zerosOf(size - start - length));
  return concat(pieces, axis);
}

/**
 * The `narrow` op definition: `∂x` is `g` in the narrowed window and 0 elsewhere.
 *
 * @example
 * ```ts
 * narrowOp.name; // "narrow": the definition behind narrow(), listed in OPS
 * ```
 */
export const narrowOp = defineOp<[x: Tensor, axis: number, start: number, length: number], NarrowSaved>({
  name: "narrow",
  forward(ctx, x, axis, start, length) {
    const a = normalizeAxis(axis, x.ndim, "narrow");
    const s = start < 0 ? start + x.shape[a] : start;
    ctx.save({ shape: x.shape, axis: a, start: s });
    return x.narrow(a, s, length);
  },
  backward(ctx, g) {
    const { shape, axis, start } = ctx.saved;
    return [ctx.needsGrad[0] ? padNarrowed(g, shape, axis, start) : null, null, null, null];
  },
});

/**
 * Elements `start .. start + length - 1` of one axis.
 *
 * @example
 * ```ts
 * narrow(param(tensor([0, 1, 2, 3, 4])), 0, 1, 3).toArray(); // [1, 2, 3]
 * ```
 */
export function narrow(x: VarInput, axis: number, start: number, length: number): Var {
  return narrowOp.apply(x, axis, start, length);
}
