// Undoing broadcasting in backward: a gradient of the broadcast shape is
// summed over the axes that broadcasting added or stretched. Pure tensor code.
import { type Shape, type Tensor, shapesEqual, sum } from "@bitnet-quantize/tensor";
import { AutogradError, fmtShape } from "./errors.js";

/**
 * Sums `grad` down to `shape`, the shape of an input that was broadcast to
 * `grad.shape`: leading axes are summed away, axes where `shape` has 1 are
 * summed with the size kept at 1. Returns `grad` itself when the shapes match.
 *
 * @example
 * ```ts
 * sumToShape(ones([2, 3]), [3]).toArray(); // [2, 2, 2]
 * sumToShape(ones([2, 3]), [2, 1]).toArray(); // [[3], [3]]
 * ```
 */
export function sumToShape(grad: Tensor, shape: Shape): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.ndim - shape.length;
  if (lead < 0) throw new AutogradError(`sumToShape: gradient ${fmtShape(grad.shape)} has fewer dimensions than ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  for (let i = 0; i < shape.length; i++) {
    const want = shape[i];
    const have = grad.shape[lead + i];
    if (want === have) continue;
    if (want !== 1) throw new AutogradError(`sumToShape: gradient ${fmtShape(grad.shape)} is not a broadcast of ${fmtShape(shape)}`);
    axes.push(lead + i);
  }
  const summed = axes.length === 0 ? grad : sum(grad, axes, { keepDims: true });
  return summed.reshape(shape);
}
