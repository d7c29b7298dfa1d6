// Adam and AdamW with PyTorch's update formulas and defaults: Adam adds the
// weight decay to the gradient (L2), AdamW decays the weights directly
// (decoupled, Loshchilov & Hutter).
import type { Tensor } from "@bitnet-quantize/tensor";
import { AutogradError } from "../errors.js";
import type { Var } from "../var.js";
import { Optimizer, type ParamOptimizerState, checkHyper } from "./optimizer.js";

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  readonly lr?: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  readonly betas?: readonly [number, number];
  /** Added to the denominator (default 1e-8). */
  readonly eps?: number;
  /** Weight decay (default 0 for Adam, 1e-2 for AdamW). */
  readonly weightDecay?: number;
}

interface AdamState {
  step: number;
  m: Tensor;
  v: Tensor;
}

/**
 * Adam. Per parameter, at step t: `g = grad + wd·p`;
 * `m = β1·m + (1-β1)·g`; `v = β2·v + (1-β2)·g²`;
 * `p = p - lr/(1-β1^t) · m / (√v/√(1-β2^t) + eps)`.
 *
 * @example
 * ```ts
 * const p = param(tensor([1])); p.grad = tensor([0.5]);
 * new Adam([p], { lr: 0.1 }).step(); p.value.toArray(); // [0.9] (the first step moves by lr·sign(g))
 * ```
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** True for AdamW: decay the weights, not the gradient. */
  protected readonly decoupled: boolean = false;
  readonly #state = new Map<Var, AdamState>();

  constructor(params: Iterable<Var>, opts: AdamOptions = {}) {
    super(params, opts.lr ?? 1e-3);
    this.beta1 = opts.betas?.[0] ?? 0.9;
    this.beta2 = opts.betas?.[1] ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? this.defaultWeightDecay();
    const who = this.constructor.name;
    checkHyper(who, "betas[0]", this.beta1, 0, 1, true);
    checkHyper(who, "betas[1]", this.beta2, 0, 1, true);
    checkHyper(who, "eps", this.eps, 0, Infinity);
    checkHyper(who, "weightDecay", this.weightDecay, 0, Infinity);
  }

  /** 0 for Adam; AdamW overrides. */
  protected defaultWeightDecay(): number {
    return 0;
  }

  protected override hyperparameters(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }

  protected override paramState(p: Var): ParamOptimizerState | null {
    const s = this.#state.get(p);
    return s === undefined ? null : { counters: { step: s.step }, tensors: { m: s.m, v: s.v } };
  }

  protected override setParamState(p: Var, s: ParamOptimizerState | null): void {
    const previous = this.#state.get(p);
    if (s === null) {
      this.#state.delete(p);
    } else {
      const { m, v } = s.tensors;
      const step = s.counters.step;
      if (m === undefined || v === undefined || step === undefined || !Number.isInteger(step) || step < 1) {
        throw new AutogradError(`${this.constructor.name}.loadStateDict: a parameter's state needs tensors m and v and a step >= 1`);
      }
      // A loaded tensor stays the caller's; a cast copy is this optimizer's own.
      const mine = (t: Tensor): Tensor => (t.dtype === p.dtype ? t : this.own(t.cast(p.dtype)));
      this.#state.set(p, { step, m: mine(m), v: mine(v) });
    }
    const now = this.#state.get(p);
    if (previous !== undefined && previous.m !== now?.m) this.release(previous.m);
    if (previous !== undefined && previous.v !== now?.v) this.release(previous.v);
  }

  protected update(p: Var, value: Tensor, grad: Tensor): Tensor {
    let base = value;
    let g = grad;
    if (this.weightDecay !== 0) {
      if (this.decoupled) base = value.mul(1 - this.lr * this.weightDecay);
      else g = grad.add(value.mul(this.weightDecay));
    }
    const s = this.#state.get(p);
    const step = (s?.step ?? 0) + 1;
    const m = s === undefined ? g.mul(1 - this.beta1) : s.m.mul(this.beta1).add(g.mul(1 - this.beta1));
    const v = s === undefined ? g.mul(g).mul(1 - this.beta2) : s.v.mul(this.beta2).add(g.mul(g).mul(1 - this.beta2));
    this.#state.set(p, { step, m: this.own(m), v: this.own(v) });
    this.release(s?.m);
    this.release(s?.v);
    const biasCorrection1 = 1 - this.beta1 ** step;
    const biasCorrection2 = 1 - this.beta2 ** step;
    const denom = v.sqrt().div(Math.sqrt(biasCorrection2)).add(this.eps);
    return base.sub(m.div(denom).mul(this.lr / biasCorrection1));
  }
}

/**
 * AdamW: Adam with decoupled weight decay `p = p·(1 - lr·wd)` before the
 * Adam step (default wd 1e-2, as PyTorch).
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.1 });
 * ```
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  protected override defaultWeightDecay(): number {
    return 1e-2;
  }
}
