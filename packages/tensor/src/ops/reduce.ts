// Reductions over one axis, several, or all: sum, mean, prod, max, min,
// argmax, argmin, var. `keepDims` keeps reduced axes as size 1.
import { REDUCE_OPS } from "./reduce-ops.js";
import type { ReduceOp } from "../backend.js";
import { type DType, isFloat } from "../dtype.js";
import { ArgumentError, fmtShape } from "../errors.js";
import { normalizeAxes, normalizeAxis } from "../shape.js";
import { type ReduceOptions, type Tensor, fromStorage } from "../tensor.js";
import { div, mul, sub } from "./elementwise.js";

/** Options of {@link variance}. */
export interface VarOptions extends ReduceOptions {
  /** Subtracted from the count in the divisor: 1 (default) is Bessel's correction, 0 the population variance. */
  readonly correction?: number;
}

function reduceOp(op: ReduceOp, x: Tensor, axes: number | readonly number[] | undefined, opts: ReduceOptions | undefined, outDtype: DType): Tensor {
  const ax = normalizeAxes(axes, x.ndim, op);
  if (!REDUCE_OPS[op].emptyOk && ax.some((a) => x.shape[a] === 0)) {
    throw new ArgumentError(`${op}: cannot reduce an empty dimension of shape ${fmtShape(x.shape)}`);
  }
  const input = x.dtype === outDtype || REDUCE_OPS[op].dtype === "index" ? x : x.cast(outDtype);
  const kept = x.shape.filter((_, d) => !ax.includes(d));
  const out = fromStorage(x.backend.reduce(op, input.view, ax), kept, outDtype);
  if (opts?.keepDims !== true) return out;
  return out.reshape(x.shape.map((d, i) => (ax.includes(i) ? 1 : d)));
}

/** Sums of small integer dtypes accumulate in int32, as PyTorch widens them. */
function accumulateDtype(dtype: DType): DType {
  return dtype === "int8" || dtype === "uint8" ? "int32" : dtype;
}

/**
 * Sum over `axes` (all when omitted).
 *
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 1).toArray(); // [3, 7]
 * sum(tensor([[1, 2], [3, 4]]), 1, { keepDims: true }).toArray(); // [[3], [7]]
 * ```
 */
export function sum(x: Tensor, axes?: number | readonly number[], opts?: ReduceOptions): Tensor {
  return reduceOp("sum", x, axes, opts, accumulateDtype(x.dtype));
}

/**
 * Product over `axes`.
 *
 * @example
 * ```ts
 * prod(tensor([1, 2, 3, 4])).item(); // 24
 * ```
 */
export function prod(x: Tensor, axes?: number | readonly number[], opts?: ReduceOptions): Tensor {
  return reduceOp("prod", x, axes, opts, accumulateDtype(x.dtype));
}

/**
 * Mean over `axes` (integer inputs give float32).
 *
 * @example
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), 0).toArray(); // [2, 3]
 * ```
 */
export function mean(x: Tensor, axes?: number | readonly number[], opts?: ReduceOptions): Tensor {
  const dtype = isFloat(x.dtype) ? x.dtype : "float32";
  const ax = normalizeAxes(axes, x.ndim, "mean");
  let count = 1;
  for (const a of ax) count *= x.shape[a];
  return div(reduceOp("sum", x, ax, opts, dtype), count);
}

/**
 * Maximum over `axes`; NaN propagates.
 *
 * @example
 * ```ts
 * max(tensor([[1, 5], [3, 4]]), 0).toArray(); // [3, 5]
 * ```
 */
export function max<D extends DType>(x: Tensor<D>, axes?: number | readonly number[], opts?: ReduceOptions): Tensor<D> {
  return reduceOp("max", x, axes, opts, x.dtype) as Tensor<D>;
}

/**
 * Minimum over `axes`; NaN propagates.
 *
 * @example
 * ```ts
 * min(tensor([[1, 5], [3, 4]]), 1).toArray(); // [1, 3]
 * ```
 */
export function min<D extends DType>(x: Tensor<D>, axes?: number | readonly number[], opts?: ReduceOptions): Tensor<D> {
  return reduceOp("min", x, axes, opts, x.dtype) as Tensor<D>;
}

function argReduce(op: "argmax" | "argmin", x: Tensor, axis: number | undefined, opts: ReduceOptions | undefined): Tensor<"int32"> {
  if (axis === undefined) {
    const flat = reduceOp(op, x.reshape([-1]), [0], undefined, "int32") as Tensor<"int32">;
    return opts?.keepDims === true ? flat.reshape(x.shape.map(() => 1)) : flat;
  }
  return reduceOp(op, x, normalizeAxis(axis, x.ndim, op), opts, "int32") as Tensor<"int32">;
}

/**
 * Index (int32) of the first maximum along `axis`, or in the flattened tensor.
 * NaN counts as the maximum, as in PyTorch.
 *
 * @example
 * ```ts
 * argmax(tensor([[1, 5], [3, 4]]), 1).toArray(); // [1, 1]
 * ```
 */
export function argmax(x: Tensor, axis?: number, opts?: ReduceOptions): Tensor<"int32"> {
  return argReduce("argmax", x, axis, opts);
}

/**
 * Index (int32) of the first minimum along `axis`, or in the flattened tensor.
 *
 * @example
 * ```ts
 * argmin(tensor([[1, 5], [3, 4]]), 0).toArray(); // [0, 1]
 * ```
 */
export function argmin(x: Tensor, axis?: number, opts?: ReduceOptions): Tensor<"int32"> {
  return argReduce("argmin", x, axis, opts);
}

/**
 * Variance over `axes`: `sum((x - mean)^2) / (n - correction)`, correction 1
 * by default (as `torch.var`).
 *
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4])).item(); // 1.6666666
 * variance(tensor([1, 2, 3, 4]), undefined, { correction: 0 }).item(); // 1.25
 * ```
 */
export function variance(x: Tensor, axes?: number | readonly number[], opts?: VarOptions): Tensor {
  const ax = normalizeAxes(axes, x.ndim, "var");
  let count = 1;
  for (const a of ax) count *= x.shape[a];
  const correction = opts?.correction ?? 1;
  const centered = sub(x, mean(x, ax, { keepDims: true }));
  const sq = sum(mul(centered, centered), ax, opts?.keepDims === undefined ? undefined : { keepDims: opts.keepDims });
  return div(sq, Math.max(0, count - correction));
}
