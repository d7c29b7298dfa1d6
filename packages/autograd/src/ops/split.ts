// split and chunk: several narrow views of one input. Composites of the
// narrow op, so they need no backward of their own (gradients of the pieces
// accumulate into the input).
import { ArgumentError, normalizeAxis, splitSizes } from "@bitnet-quantize/tensor";
import type { Var, VarInput } from "../var.js";
import { narrow } from "./narrow.js";

/**
 * Splits along `axis`: a number gives pieces of that size (the last may be
 * smaller), an array gives the sizes, which must add up to the dimension.
 *
 * @example
 * ```ts
 * split(param(tensor([0, 1, 2, 3, 4])), 2).map((p) => p.toArray()); // [[0, 1], [2, 3], [4]]
 * ```
 */
export function split(x: VarInput, sizes: number | readonly number[], axis = 0): Var[] {
  const a = normalizeAxis(axis, x.shape.length, "split");
  let start = 0;
  return splitSizes(x.shape[a], sizes, a).map((len) => {
    const piece = narrow(x, a, start, len);
    start += len;
    return piece;
  });
}

/**
 * Splits into `chunks` nearly equal pieces along `axis` (as `torch.chunk`).
 *
 * @example
 * ```ts
 * chunk(param(tensor([0, 1, 2, 3, 4, 5])), 3).map((p) => p.toArray()); // [[0, 1], [2, 3], [4, 5]]
 * ```
 */
export function chunk(x: VarInput, chunks: number, axis = 0): Var[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ArgumentError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const dim = x.shape[normalizeAxis(axis, x.shape.length, "chunk")];
  return split(x, Math.max(1, Math.ceil(dim / chunks)), axis);
}
