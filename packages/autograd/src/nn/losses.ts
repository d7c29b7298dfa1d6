// Losses: cross-entropy over integer class targets (with label smoothing,
// computed stably through logSoftmax) and mean squared error.
import { type Tensor, ArgumentError, ShapeError, isFloat } from "@bitnet-quantize/tensor";
import { fmtShape } from "../errors.js";
import { gather } from "../ops/gather.js";
import { logSoftmax } from "../ops/log-softmax.js";
import { type Var, type VarInput, type VarLike } from "../var.js";
import { sub } from "../ops/sub.js";

/** How per-example losses are combined (PyTorch's `reduction`). */
export type Reduction = "mean" | "sum" | "none";

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** ε in [0, 1]: the target distribution is (1-ε)·one-hot + ε/C (default 0). */
  readonly labelSmoothing?: number;
  /** Default "mean" (over the batch). */
  readonly reduction?: Reduction;
}

function reduce(loss: Var, reduction: Reduction): Var {
  if (reduction === "none") return loss;
  return reduction === "sum" ? loss.sum() : loss.mean();
}

/**
 * Cross-entropy of logits `[N, C]` (or `[C]`) against integer class targets
 * `[N]` (or `[]`), as `torch.nn.functional.cross_entropy`:
 * `loss_i = -(1-ε)·log p_i[t_i] - ε·mean_c log p_i[c]`, with
 * `log p = logSoftmax(logits)` (stable for large logits).
 *
 * @example
 * ```ts
 * crossEntropy(param(tensor([[0, 0]])), tensor([1], undefined, "int32")).item(); // 0.6931472 (ln 2)
 * crossEntropy(logits, targets, { labelSmoothing: 0.1, reduction: "sum" });
 * ```
 */
export function crossEntropy(logits: VarInput, targets: Tensor, opts: CrossEntropyOptions = {}): Var {
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ArgumentError(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  if (isFloat(targets.dtype)) throw new ArgumentError(`crossEntropy: targets must be integer class indices, got ${targets.dtype}`);
  const batched = logits.shape.length === 2;
  if (!(batched || logits.shape.length === 1) || targets.shape.length !== logits.shape.length - 1 || (batched && targets.shape[0] !== logits.shape[0])) {
    throw new ShapeError(`crossEntropy: logits ${fmtShape(logits.shape)} and targets ${fmtShape(targets.shape)} do not fit: need [N, C] with [N], or [C] with []`);
  }
  const logp = logSoftmax(batched ? logits : (logits as Var).reshape([1, -1]), -1); // [N, C]
  const n = logp.shape[0];
  const nll = gather(logp, 1, targets.reshape([n, 1])).reshape([n]).neg();
  let loss = eps === 0 ? nll : nll.mul(1 - eps).sub(logp.mean(-1).mul(eps));
  if (!batched) loss = loss.reshape([]);
  return reduce(loss, opts.reduction ?? "mean");
}

/** Options of {@link mse}. */
export interface MseOptions {
  /** Default "mean" (over all elements). */
  readonly reduction?: Reduction;
}

/**
 * Mean squared error `mean((input - target)²)`, broadcasting as PyTorch's `mse_loss` does for equal shapes.
 *
 * @example
 * ```ts
 * mse(param(tensor([1, 2])), tensor([1, 4])).item(); // 2
 * ```
 */
export function mse(input: VarInput, target: VarLike, opts: MseOptions = {}): Var {
  const d = sub(input, target);
  return reduce(d.mul(d), opts.reduction ?? "mean");
}
