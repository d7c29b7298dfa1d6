// Linear: y = x·Wᵀ + b with PyTorch's initialisation (kaiming_uniform with
// a = √5 for W [out, in], U(±1/√in) for b). Uses the fused `linear` op.
import { ArgumentError, Brand, Generator } from "@bitnet-quantize/tensor";
import { param } from "../var.js";
import type { Var, VarInput } from "../var.js";
import { linear } from "../ops/linear.js";
import { type InitOptions, kaimingUniform, uniform } from "./init.js";
import { Module } from "./module.js";
import { VERSION } from "../version.js";

const LINEAR_BRAND = new Brand("@bitnet-quantize/autograd", "Linear", VERSION);

/** Options of {@link Linear}. */
export interface LinearOptions extends InitOptions {
  /** Add a learned bias (default true). */
  readonly bias?: boolean;
}

/**
 * A fully connected layer: `[..., in] -> [..., out]`, weight `[out, in]`, bias `[out]`.
 *
 * @example
 * ```ts
 * const fc = new Linear(784, 256, { seed: 0 });
 * fc.forward(param(zeros([64, 784]))).shape; // [64, 256]
 * fc.weight.shape; // [256, 784]
 * ```
 */
export class Linear extends Module<VarInput, Var> {
  /** Input features. */
  readonly inFeatures: number;
  /** Output features. */
  readonly outFeatures: number;
  /** `[out, in]`, U(±1/√in). */
  weight: Var;
  /** `[out]`, U(±1/√in), or null without bias. */
  bias: Var | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isSafeInteger(v) || v <= 0) throw new ArgumentError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    // One stream for weight then bias: a seed makes a fresh generator used for both.
    const generator = opts.generator ?? (opts.seed === undefined ? undefined : new Generator(opts.seed));
    const draw = { dtype: opts.dtype ?? "float32", ...(generator === undefined ? {} : { generator }) } as const;
    this.weight = param(kaimingUniform([outFeatures, inFeatures], { ...draw, a: Math.sqrt(5) }));
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.bias = opts.bias === false ? null : param(uniform([outFeatures], { ...draw, low: -bound, high: bound }));
  }

  /** `x·Wᵀ + b` for any leading dimensions. */
  forward(x: VarInput): Var {
    return linear(x, this.weight, this.bias ?? undefined);
  }
}
LINEAR_BRAND.mark(Linear);
