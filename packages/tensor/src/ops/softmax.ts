// Numerically stable softmax and log-softmax: the maximum is subtracted first,
// so no exp overflows.
import { type Tensor } from "../tensor.js";
import { normalizeAxis } from "../shape.js";
import { div, exp, log, sub } from "./elementwise.js";
import { max, sum } from "./reduce.js";

/**
 * `exp(x) / sum(exp(x))` along `axis` (default last).
 *
 * @example
 * ```ts
 * softmax(tensor([1000, 1000])).toArray(); // [0.5, 0.5]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis(axis, x.ndim, "softmax");
  if (x.shape[a] === 0) return exp(x); // an empty axis: an empty result, as PyTorch
  const e = exp(sub(x, max(x, a, { keepDims: true })));
  return div(e, sum(e, a, { keepDims: true }));
}

/**
 * `x - log(sum(exp(x)))` along `axis` (default last), computed stably.
 *
 * @example
 * ```ts
 * logSoftmax(tensor([0, 0])).toArray(); // [-0.6931, -0.6931]
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis(axis, x.ndim, "logSoftmax");
  if (x.shape[a] === 0) return exp(x); // an empty axis: an empty result, as PyTorch
  const shifted = sub(x, max(x, a, { keepDims: true }));
  return sub(shifted, log(sum(exp(shifted), a, { keepDims: true })));
}
