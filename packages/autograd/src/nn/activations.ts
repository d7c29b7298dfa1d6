// Activation functions (ReLU, GELU exact and tanh-approximate, SiLU, ReLU²)
// as functions on Vars and as modules. Composites of differentiable ops, so
// they need no backward of their own.
import { erf } from "../ops/erf.js";
import { relu as reluOp } from "../ops/relu.js";
import type { Var } from "../var.js";
import { Module } from "./module.js";

/** PyTorch's `approximate` option of GELU. */
export type GeluApproximation = "none" | "tanh";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU: `x·Φ(x) = x/2·(1 + erf(x/√2))`, or with `approximate: "tanh"`
 * `x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 *
 * @example
 * ```ts
 * gelu(param(tensor([1]))).toArray(); // [0.8413447]
 * gelu(param(tensor([1])), "tanh").toArray(); // [0.8411920]
 * ```
 */
export function gelu(x: Var, approximate: GeluApproximation = "none"): Var {
  if (approximate === "tanh") {
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(inner.tanh().add(1)).mul(0.5);
  }
  return x.mul(erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);
}

/**
 * SiLU (swish): `x·σ(x)`.
 *
 * @example
 * ```ts
 * silu(param(tensor([0, 1]))).toArray(); // [0, 0.7310586]
 * ```
 */
export function silu(x: Var): Var {
  return x.mul(x.sigmoid());
}

/**
 * Squared ReLU: `max(x, 0)²` (BitNet b1.58's FFN activation).
 *
 * @example
 * ```ts
 * relu2(param(tensor([-1, 3]))).toArray(); // [0, 9]
 * ```
 */
export function relu2(x: Var): Var {
  const r = reluOp(x);
  return r.mul(r);
}

/** `max(x, 0)` as a module. @example `new ReLU().forward(param(tensor([-1, 2]))).toArray(); // [0, 2]` */
export class ReLU extends Module {
  forward(x: Var): Var {
    return reluOp(x);
  }
}

/** GELU as a module (`approximate`: "none" or "tanh", as PyTorch). @example `new GELU("tanh").forward(param(tensor([1]))).toArray(); // [0.841192]` */
export class GELU extends Module {
  /** "none" (erf, default) or "tanh". */
  readonly approximate: GeluApproximation;
  constructor(approximate: GeluApproximation = "none") {
    super();
    this.approximate = approximate;
  }
  forward(x: Var): Var {
    return gelu(x, this.approximate);
  }
}

/** SiLU as a module. @example `new SiLU().forward(param(tensor([0]))).toArray(); // [0]` */
export class SiLU extends Module {
  forward(x: Var): Var {
    return silu(x);
  }
}

/** Squared ReLU as a module. @example `new ReLU2().forward(param(tensor([2]))).toArray(); // [4]` */
export class ReLU2 extends Module {
  forward(x: Var): Var {
    return relu2(x);
  }
}
