// Gradient clipping by the global norm over all parameters (PyTorch's
// clip_grad_norm_): the gradients are replaced by scaled copies.
import { type Tensor } from "@bitnet-quantize/tensor";
import { noGrad } from "../grad-mode.js";
import type { Var } from "../var.js";

/** Options of {@link clipGradNorm}. */
export interface ClipOptions {
  /** The p of the p-norm (default 2; `Infinity` for the max norm). */
  readonly normType?: number;
}

/**
 * Scales all gradients by `maxNorm / (total + 1e-6)` when their global norm
 * `total` exceeds `maxNorm`, and returns `total` (the norm before clipping).
 *
 * @example
 * ```ts
 * p.grad = tensor([3, 4]);
 * clipGradNorm([p], 1); // 5
 * p.grad.toArray(); // [0.6, 0.8] (up to the 1e-6)
 * ```
 */
export function clipGradNorm(params: Iterable<Var>, maxNorm: number, opts: ClipOptions = {}): number {
  const normType = opts.normType ?? 2;
  const withGrad = [...params].filter((p): p is Var & { grad: Tensor } => p.grad !== null);
  return noGrad(() => {
    let total = 0;
    if (normType === Infinity) {
      for (const p of withGrad) total = Math.max(total, p.grad.abs().max().item());
    } else {
      for (const p of withGrad) total += p.grad.abs().pow(normType).sum().item();
      total = total ** (1 / normType);
    }
    const coef = maxNorm / (total + 1e-6);
    if (coef < 1) for (const p of withGrad) p.grad = p.grad.mul(coef);
    return total;
  });
}
