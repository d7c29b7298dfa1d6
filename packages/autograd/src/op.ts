// Differentiable ops: the definition type (forward and backward side by side,
// with typed saved state and needsGrad gating, as torch.autograd.Function),
// `defineOp`, and how applying an op records a graph node. Not here: the
// backward traversal (engine.ts) and the ops themselves (ops/*.ts).
import type { Tensor } from "@bitnet-quantize/tensor";
import { AutogradError } from "./errors.js";
import { isGradEnabled } from "./grad-mode.js";
import type { GradNode } from "./node.js";
import { Var } from "./var.js";

/**
 * What an op's forward and backward share: which arguments need a gradient,
 * and the state forward saved for backward (PyTorch's `save_for_backward`).
 *
 * @example
 * ```ts
 * const squareOp = defineOp({
 *   name: "square",
 *   forward(ctx: OpContext<{ x: Tensor }>, x: Tensor) { ctx.save({ x }); return x.mul(x); },
 *   backward(ctx, g) { return [ctx.needsGrad[0] ? g.mul(ctx.saved.x).mul(2) : null]; },
 * });
 * squareOp.apply(param(tensor([3]))).value; // [9]
 * ```
 */
export class OpContext<S> {
  /** `needsGrad[i]` is true when argument i is a `Var` that requires a gradient (and grad mode is on). */
  readonly needsGrad: readonly boolean[];
  readonly #op: string;
  #saved: { value: S } | undefined;
  #released = false;

  constructor(op: string, needsGrad: readonly boolean[]) {
    this.#op = op;
    this.needsGrad = needsGrad;
  }

  /** True when at least one argument needs a gradient. */
  get anyNeedsGrad(): boolean {
    return this.needsGrad.includes(true);
  }

  /** Keeps `state` for backward (call once, in forward). */
  save(state: S): void {
    this.#saved = { value: state };
  }

  /** The state forward saved; throws once released (after backward without `retainGraph`). */
  get saved(): S {
    if (this.#released) {
      throw new AutogradError(
        `${this.#op}: its saved tensors were released by an earlier backward; pass { retainGraph: true } to the first backward to run backward twice`,
      );
    }
    if (this.#saved === undefined) throw new AutogradError(`${this.#op}: backward reads saved state that forward never saved`);
    return this.#saved.value;
  }

  /** True once the saved state was dropped. */
  get released(): boolean {
    return this.#released;
  }

  /** Drops the saved state. */
  release(): void {
    this.#saved = undefined;
    this.#released = true;
  }
}

/** An argument type as callers pass it: a tensor argument also accepts a `Var`. */
export type Lift<T> = T extends Tensor ? Var | Tensor : T;

/** The public argument list of an op whose forward takes `A`. */
export type LiftedArgs<A extends readonly unknown[]> = { [K in keyof A]: Lift<A[K]> };

/** What backward returns: per argument, a gradient for a tensor argument (or `null`), `null` for anything else. */
export type Grads<A extends readonly unknown[]> = { [K in keyof A]: [Extract<A[K], Tensor>] extends [never] ? null : Tensor | null };

/**
 * An op definition: forward computes the output from plain tensors (and any
 * other arguments), saving what backward needs; backward maps the output's
 * gradient to one gradient per argument, computed only where
 * `ctx.needsGrad[i]` (return `null` elsewhere). Backward is written in tensor
 * ops. Each gradient must have its argument's shape (undo broadcasting with
 * `sumToShape`).
 *
 * @example
 * ```ts
 * const square: OpDefinition<[x: Tensor], Tensor> = {
 *   name: "square",
 *   forward(ctx, x) { ctx.save(x); return x.mul(x); },
 *   backward(ctx, g) { return [g.mul(ctx.saved).mul(2)]; },
 * };
 * ```
 */
export interface OpDefinition<A extends readonly unknown[], S> {
  /** A name for messages and the OPS table. */
  readonly name: string;
  /** The output from the arguments (tensors where callers passed a `Var`). */
  forward(ctx: OpContext<S>, ...args: A): Tensor;
  /** One gradient per argument, given the gradient of the output. */
  backward(ctx: OpContext<S>, gradOut: Tensor): Grads<A>;
}

/**
 * A defined op: apply it to `Var`s (and tensors, numbers, options) to get a
 * `Var` that remembers how to send gradients back. Made by {@link defineOp}.
 *
 * @example
 * ```ts
 * const y = squareOp.apply(param(tensor([3]))); // y.value is [9]
 * y.backward(); // x.grad is [6]
 * ```
 */
export interface Op<A extends readonly unknown[], S> {
  /** The definition this op applies. */
  readonly definition: OpDefinition<A, S>;
  /** The op's name. */
  readonly name: string;
  /**
   * Runs forward on the arguments (a `Var` is replaced by its value) and, when
   * some `Var` argument requires a gradient and grad mode is on, records a
   * graph node on the result.
   */
  apply(...args: LiftedArgs<A>): Var;
}

/**
 * True for the objects {@link defineOp} returns.
 *
 * @example
 * ```ts
 * isOp(addOp); // true
 * isOp(add); // false (the public function, not the op)
 * ```
 */
export function isOp(x: unknown): x is Op<readonly unknown[], unknown> {
  return typeof x === "object" && x !== null && "definition" in x && "apply" in x && typeof x.apply === "function";
}

// A function declaration (hoisted), so that defining ops at module load works
// even while the Var <-> ops import cycle is still being evaluated.
function applyOp<A extends readonly unknown[], S>(definition: OpDefinition<A, S>, args: readonly unknown[]): Var {
  const record = isGradEnabled();
  // One brand check per argument (instanceof Var also accepts a compatible second copy's Vars).
  const vars = args.map((a) => (a instanceof Var ? a : null));
  const needsGrad = vars.map((v) => record && v !== null && v.requiresGrad);
  const plain: readonly unknown[] = args.map((a, i) => vars[i]?.value ?? a);
  const ctx = new OpContext<S>(definition.name, needsGrad);
  const out = definition.forward(ctx, ...(plain as A));
  if (!ctx.anyNeedsGrad) return new Var(out);
  const inputs = vars.map((v, i) => (needsGrad[i] === true ? v : null));
  return new Var(out, { node: new OpNode(definition, ctx, inputs) });
}

class OpNode<A extends readonly unknown[], S> implements GradNode {
  readonly #definition: OpDefinition<A, S>;
  readonly #ctx: OpContext<S>;
  readonly inputs: readonly (Var | null)[];

  constructor(definition: OpDefinition<A, S>, ctx: OpContext<S>, inputs: readonly (Var | null)[]) {
    this.#definition = definition;
    this.#ctx = ctx;
    this.inputs = inputs;
  }
  get name(): string {
    return this.#definition.name;
  }
  get released(): boolean {
    return this.#ctx.released;
  }
  backward(gradOut: Tensor): readonly (Tensor | null)[] {
    const grads: readonly (Tensor | null)[] = this.#definition.backward(this.#ctx, gradOut);
    return grads;
  }
  release(): void {
    this.#ctx.release();
  }
}

/**
 * Defines a differentiable op from a forward and a backward, for ops this
 * package does not have. The BitNet straight-through estimator is the model
 * case: forward is any tensor function (here, rounding), backward passes the
 * gradient through unchanged.
 *
 * @example
 * ```ts
 * import { defineOp, param, type OpContext } from "@bitnet-quantize/autograd";
 * import { type Tensor, round, tensor } from "@bitnet-quantize/tensor";
 *
 * const steRoundOp = defineOp({
 *   name: "steRound",
 *   forward: (_ctx: OpContext<void>, x: Tensor) => round(x), // any tensor function
 *   backward: (_ctx, g) => [g], // straight through: the identity
 * });
 * const steRound = (x: Var) => steRoundOp.apply(x);
 *
 * const x = param(tensor([0.4, 1.6]));
 * const y = steRound(x); // y.value is [0, 2]
 * y.sum().backward(); // x.grad is [1, 1]
 * ```
 */
export function defineOp<A extends readonly unknown[], S = void>(definition: OpDefinition<A, S>): Op<A, S> {
  return {
    definition,
    name: definition.name,
    apply: (...args: LiftedArgs<A>): Var => applyOp(definition, args),
  };
}
