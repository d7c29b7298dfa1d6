// The optimizer base class: holds the parameters and the learning rate, and
// replaces each parameter's value with its update under noGrad (tensors are
// immutable). Subclasses write only the update rule.
import type { Tensor } from "@bitnet-quantize/tensor";
import { AutogradError } from "../errors.js";
import { noGrad } from "../grad-mode.js";
import type { Var } from "../var.js";

/**
 * A first-order optimizer over a list of parameters.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); loss.backward(); opt.step(); // each parameter moved against its gradient
 * ```
 */
export abstract class Optimizer {
  /** The parameters updated by {@link step}. */
  readonly params: readonly Var[];
  /** The learning rate (schedules set it before each step). */
  lr: number;

  constructor(params: Iterable<Var>, lr: number) {
    this.params = [...params];
    if (!(lr >= 0)) throw new AutogradError(`optimizer: learning rate must be >= 0, got ${lr}`);
    this.lr = lr;
  }

  /**
   * Clears every parameter's gradient (sets it to `null`, as PyTorch's default).
   *
   * @example
   * ```ts
   * opt.zeroGrad(); model.parameters()[0]?.grad; // null
   * ```
   */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /**
   * Updates every parameter that has a gradient (others are skipped).
   *
   * @example
   * ```ts
   * loss.backward(); opt.step();
   * ```
   */
  step(): void {
    noGrad(() => {
      for (const p of this.params) {
        if (p.grad === null || !p.requiresGrad) continue;
        p.value = this.update(p, p.value, p.grad);
      }
    });
  }

  /** The new value of `p` given its value and gradient (tensor code, run under noGrad). */
  protected abstract update(p: Var, value: Tensor, grad: Tensor): Tensor;
}
