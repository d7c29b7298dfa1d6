// A helper of the normalisation layers: the trailing axes a normalized shape
// covers, with a clear error when the input does not end with that shape. Not a layer.
import type { Shape } from "@bitnet-quantize/tensor";
import { AutogradError, fmtShape } from "../errors.js";

/**
 * The axes `[ndim - k, ..., ndim - 1]` for a normalized shape of k dimensions,
 * after checking that `shape` ends with it.
 *
 * @example
 * ```ts
 * trailingAxes([2, 5, 8], [8], "RMSNorm"); // [2]
 * ```
 */
export function trailingAxes(shape: Shape, normalized: Shape, op: string): number[] {
  const k = normalized.length;
  const tail = shape.slice(shape.length - k);
  if (shape.length < k || tail.some((d, i) => d !== normalized[i])) {
    throw new AutogradError(`${op}: input ${fmtShape(shape)} does not end with the normalized shape ${fmtShape(normalized)}`);
  }
  return Array.from({ length: k }, (_, i) => shape.length - k + i);
}
