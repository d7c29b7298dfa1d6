// A helper of the binary ops: the shape of an operand, `[]` for a number.
// Not an op.
import type { Shape, Tensor } from "@bitnet-quantize/tensor";

/**
 * The shape of a tensor operand, or `[]` for a plain number.
 *
 * @example
 * ```ts
 * shapeOf(zeros([2, 3])); // [2, 3]
 * shapeOf(5); // []
 * ```
 */
export function shapeOf(x: Tensor | number): Shape {
  return typeof x === "number" ? [] : x.shape;
}
