// The optimizer base class: holds the parameters and the learning rate, and
// replaces each parameter's value with its update under noGrad (tensors are
// immutable). Subclasses write only the update rule.
import { type Tensor, keep } from "@bitnet-quantize/tensor";
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
/**
 * Throws an {@link AutogradError} unless `value` is a finite number in
 * `[min, max]` (or `[min, max)` when `maxExclusive`).
 *
 * @example
 * ```ts
 * checkHyper("Adam", "betas[0]", 0.9, 0, 1, true);
 * ```
 */
export function checkHyper(who: string, name: string, value: number, min: number, max: number, maxExclusive = false): void {
  const ok = typeof value === "number" && Number.isFinite(value) && value >= min && (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const range = `${min} <= ${name} ${maxExclusive ? "<" : "<="} ${max === Infinity ? "a finite number" : max}`;
    throw new AutogradError(`${who}: ${name} must be a finite number with ${range}, got ${String(value)}`);
  }
}

export abstract class Optimizer {
  /** The parameters updated by {@link step}. */
  readonly params: readonly Var[];
  /** The learning rate (schedules set it before each step). */
  lr: number;
  readonly #owned = new WeakSet<Tensor>();

  constructor(params: Iterable<Var>, lr: number) {
    this.params = [...params];
    checkHyper("optimizer", "learning rate", lr, 0, Infinity);
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
        const old = p.value;
        p.value = this.own(this.update(p, old, p.grad));
        // a subclass may return a view of the old value: never free storage still in use
        if (p.value.storage !== old.storage) this.release(old);
      }
    });
  }

  /** The new value of `p` given its value and gradient (tensor code, run under noGrad). */
  /**
   * Marks a tensor this optimizer produced (a parameter value or state) as
   * owned: exempt from `tidy` scopes ({@link keep}) and disposed by
   * {@link release} when replaced. Returns it.
   *
   * @example
   * ```ts
   * this.#buffers.set(p, this.own(buf));
   * ```
   */
  protected own(t: Tensor): Tensor {
    if (this.#owned.has(t)) return t;
    this.#owned.add(keep(t));
    return t;
  }

  /**
   * Disposes a tensor this optimizer produced and no longer needs (a replaced
   * parameter value or state); tensors it did not produce are left alone.
   *
   * @example
   * ```ts
   * this.release(previousBuffer);
   * ```
   */
  protected release(t: Tensor | undefined): void {
    if (t === undefined || !this.#owned.has(t)) return;
    this.#owned.delete(t);
    t.dispose();
  }

  protected abstract update(p: Var, value: Tensor, grad: Tensor): Tensor;
}
