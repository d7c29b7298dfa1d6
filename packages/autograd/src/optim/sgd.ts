// SGD with momentum, dampening, Nesterov momentum and L2 weight decay, with
// PyTorch's update formulas and defaults.
import type { Tensor } from "@bitnet-quantize/tensor";
import { AutogradError } from "../errors.js";
import type { Var } from "../var.js";
import { Optimizer, type ParamOptimizerState, checkHyper } from "./optimizer.js";

/** Options of {@link SGD} (PyTorch's defaults). */
export interface SGDOptions {
  /** Learning rate (required, as in PyTorch before 2.x defaults: pass it). */
  readonly lr: number;
  /** Momentum factor (default 0). */
  readonly momentum?: number;
  /** Dampening of the momentum (default 0). */
  readonly dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  readonly weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  readonly nesterov?: boolean;
}

/**
 * Stochastic gradient descent. With `g = grad + wd·p`:
 * `b = g` on the first step, then `b = μ·b + (1 - dampening)·g`;
 * `g = g + μ·b` (Nesterov) or `g = b`; `p = p - lr·g`.
 *
 * @example
 * ```ts
 * const p = param(tensor([1])); p.grad = tensor([0.5]);
 * new SGD([p], { lr: 0.1 }).step(); p.value.toArray(); // [0.95]
 * ```
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly #buffers = new Map<Var, Tensor>();

  constructor(params: Iterable<Var>, opts: SGDOptions) {
    super(params, opts.lr);
    this.momentum = opts.momentum ?? 0;
    this.dampening = opts.dampening ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
    this.nesterov = opts.nesterov ?? false;
    checkHyper("SGD", "momentum", this.momentum, 0, Infinity);
    checkHyper("SGD", "dampening", this.dampening, 0, 1);
    checkHyper("SGD", "weightDecay", this.weightDecay, 0, Infinity);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new AutogradError("SGD: Nesterov momentum requires a momentum and zero dampening");
    }
  }

  protected override hyperparameters(): Record<string, number> {
    return { momentum: this.momentum, dampening: this.dampening, weightDecay: this.weightDecay, nesterov: this.nesterov ? 1 : 0 };
  }

  protected override paramState(p: Var): ParamOptimizerState | null {
    const b = this.#buffers.get(p);
    return b === undefined ? null : { counters: {}, tensors: { momentum: b } };
  }

  protected override setParamState(p: Var, s: ParamOptimizerState | null): void {
    const b = s?.tensors.momentum;
    if (s !== null && b === undefined) throw new AutogradError("SGD.loadStateDict: a parameter's state needs its momentum tensor");
    const previous = this.#buffers.get(p);
    if (b === undefined) this.#buffers.delete(p);
    // A loaded tensor stays the caller's; a cast copy is this optimizer's own.
    else this.#buffers.set(p, b.dtype === p.dtype ? b : this.own(b.cast(p.dtype)));
    if (previous !== undefined && previous !== b) this.release(previous);
  }

  protected update(p: Var, value: Tensor, grad: Tensor): Tensor {
    let g = this.weightDecay !== 0 ? grad.add(value.mul(this.weightDecay)) : grad;
    if (this.momentum !== 0) {
      const previous = this.#buffers.get(p);
      const buf = previous === undefined ? g : previous.mul(this.momentum).add(this.dampening === 0 ? g : g.mul(1 - this.dampening));
      if (buf !== previous) {
        this.#buffers.set(p, this.own(buf));
        this.release(previous);
      }
      g = this.nesterov ? g.add(buf.mul(this.momentum)) : buf;
    }
    return value.sub(g.mul(this.lr));
  }
}
