// The optimizer base class: holds the parameters and the learning rate, and
// replaces each parameter's value with its update under noGrad (tensors are
// immutable). Subclasses write only the update rule.
import { type Tensor, keep } from "@bitnet-quantize/tensor";
import { AutogradError, fmtShape } from "../errors.js";
import { noGrad } from "../grad-mode.js";
import type { Var } from "../var.js";

/**
 * One parameter's optimizer state: step counters and tensors (Adam's
 * moments, SGD's momentum buffer).
 *
 * @example
 * ```ts
 * const s: ParamOptimizerState = { counters: { step: 3 }, tensors: { m, v } };
 * ```
 */
export interface ParamOptimizerState {
  readonly counters: Readonly<Record<string, number>>;
  readonly tensors: Readonly<Record<string, Tensor>>;
}

/**
 * An optimizer's whole state, as {@link Optimizer.stateDict} returns it and
 * {@link Optimizer.loadStateDict} takes it: the kind, the learning rate, the
 * hyperparameters, and per parameter (in the order of `params`) its state or
 * `null` when it has taken no step yet. Tensors are the optimizer's own
 * (immutable), not copies: the optimizer disposes the ones it replaces, so
 * save or load a state dict before the next step. Loaded tensors stay the
 * caller's (the optimizer never disposes them).
 *
 * @example
 * ```ts
 * const sd = opt.stateDict(); // { kind: "AdamW", lr: 0.001, hyper: { beta1: 0.9, ... }, params: [{ counters: { step: 1 }, tensors: { m, v } }, ...] }
 * ```
 */
export interface OptimizerStateDict {
  readonly kind: string;
  readonly lr: number;
  readonly hyper: Readonly<Record<string, number>>;
  readonly params: readonly (ParamOptimizerState | null)[];
}

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

  /**
   * The state needed to continue exactly where this optimizer is (PyTorch's
   * `optimizer.state_dict()`): with the parameters' values, loading it into a
   * fresh optimizer over the same parameters gives bit-identical further steps.
   *
   * @example
   * ```ts
   * const sd = opt.stateDict();
   * const again = new AdamW(model.parameters(), { lr: 1e-3 });
   * again.loadStateDict(sd); // again.step() now does what opt.step() would
   * ```
   */
  stateDict(): OptimizerStateDict {
    return { kind: this.constructor.name, lr: this.lr, hyper: this.hyperparameters(), params: this.params.map((p) => this.paramState(p)) };
  }

  /**
   * Restores {@link stateDict}'s output. The kind, the number of parameters,
   * the hyperparameters and every tensor's shape must match; nothing changes
   * when anything is wrong.
   *
   * @example
   * ```ts
   * opt.loadStateDict(saved); // throws AutogradError naming the mismatch, e.g. "the state has 4 parameters, this optimizer 6"
   * ```
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const who = `${this.constructor.name}.loadStateDict`;
    if (sd.kind !== this.constructor.name) throw new AutogradError(`${who}: the state is of a ${sd.kind}`);
    if (sd.params.length !== this.params.length) throw new AutogradError(`${who}: the state has ${sd.params.length} parameters, this optimizer ${this.params.length}`);
    checkHyper(who, "learning rate", sd.lr, 0, Infinity);
    const mine = this.hyperparameters();
    for (const [k, v] of Object.entries(mine)) {
      if (!Object.is(sd.hyper[k], v)) throw new AutogradError(`${who}: the state has ${k} = ${String(sd.hyper[k])}, this optimizer ${v}`);
    }
    sd.params.forEach((s, i) => {
      const p = this.params[i];
      if (s === null) return;
      for (const [k, t] of Object.entries(s.tensors)) {
        if (t.ndim !== p.ndim || t.shape.some((d, j) => d !== p.shape[j])) {
          throw new AutogradError(`${who}: parameter ${i}'s "${k}" has shape ${fmtShape(t.shape)}, the parameter ${fmtShape(p.shape)}`);
        }
      }
    });
    this.lr = sd.lr;
    sd.params.forEach((s, i) => this.setParamState(this.params[i], s));
  }

  /** The numbers that define the update rule besides the learning rate (checked on load). */
  protected hyperparameters(): Record<string, number> {
    return {};
  }

  /** One parameter's state, or null before its first step. */
  protected paramState(_p: Var): ParamOptimizerState | null {
    return null;
  }

  /** Replaces one parameter's state (null: as before its first step). Shapes are checked already. */
  protected setParamState(_p: Var, _s: ParamOptimizerState | null): void {}

  /**
   * Marks a tensor this optimizer produced (a parameter value or state) as
   * owned: exempt from `tidy` scopes ({@link keep}) and disposed by
   * {@link release} when replaced. Returns it.
   *
   * @example
   * ```ts
   * // SGD with momentum 0.9: the velocity is the optimizer's own (kept across steps, even inside tidy)
   * class Momentum extends Optimizer {
   *   readonly velocity = new Map<Var, Tensor>();
   *   protected update(p: Var, value: Tensor, grad: Tensor): Tensor {
   *     const previous = this.velocity.get(p);
   *     const v = this.own(previous === undefined ? grad.mul(1) : previous.mul(0.9).add(grad));
   *     this.velocity.set(p, v);
   *     this.release(previous);
   *     return value.sub(v.mul(this.lr));
   *   }
   * }
   * const w = param(tensor([1, 2]));
   * const opt = new Momentum([w], 0.1);
   * w.mul(w).sum().backward(); opt.step(); // gradient 2w = [2, 4] becomes the velocity
   * w.value; // [0.8, 1.6]
   * opt.velocity.get(w)?.isDisposed; // false
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
   * // The momentum optimizer of own's example: each step releases the velocity it replaces
   * class Momentum extends Optimizer {
   *   readonly velocity = new Map<Var, Tensor>();
   *   protected update(p: Var, value: Tensor, grad: Tensor): Tensor {
   *     const previous = this.velocity.get(p);
   *     const v = this.own(previous === undefined ? grad.mul(1) : previous.mul(0.9).add(grad));
   *     this.velocity.set(p, v);
   *     this.release(previous);
   *     return value.sub(v.mul(this.lr));
   *   }
   * }
   * const w = param(tensor([1, 2]));
   * const opt = new Momentum([w], 0.1);
   * w.mul(w).sum().backward(); opt.step(); // gradient 2w = [2, 4] becomes the velocity
   * const first = opt.velocity.get(w);
   * opt.zeroGrad(); w.mul(w).sum().backward(); opt.step();
   * first?.isDisposed; // true
   * w.value; // [0.46, 0.92]
   * ```
   */
  protected release(t: Tensor | undefined): void {
    if (t === undefined || !this.#owned.has(t)) return;
    this.#owned.delete(t);
    t.dispose();
  }

  /** The new value of `p` given its value and gradient (tensor code, run under noGrad). */
  protected abstract update(p: Var, value: Tensor, grad: Tensor): Tensor;
}
