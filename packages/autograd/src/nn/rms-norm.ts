// RMSNorm (as torch.nn.RMSNorm): y = x / √(mean(x²) + eps) · weight over the
// trailing normalized dimensions. eps defaults to the dtype's machine epsilon.
import { ones } from "@bitnet-quantize/tensor";
import { type Var, param } from "../var.js";
import { Module } from "./module.js";
import { trailingAxes } from "./norm-shape.js";

/** Options of {@link RMSNorm}. */
export interface RMSNormOptions {
  /** Added to the mean square; default the input dtype's epsilon (1.1920929e-7 for float32), as PyTorch. */
  readonly eps?: number;
  /** Learn a per-element scale, initialised to 1 (default true). */
  readonly elementwiseAffine?: boolean;
  /** Parameter dtype (default float32). */
  readonly dtype?: "float32" | "float64";
}

const EPSILON = { float32: 2 ** -23, float64: Number.EPSILON } as const;

/** Options of {@link rmsNorm}. */
export interface RMSNormFunctionOptions {
  /** Added to the mean square; default the input dtype's epsilon, as PyTorch. */
  readonly eps?: number | undefined;
  /** A scale multiplied in after normalising (shape `normalizedShape`), or null/absent for none. */
  readonly weight?: Var | null | undefined;
}

/**
 * RMSNorm as a function (torch.nn.functional.rms_norm): `x / √(mean(x²) + eps) · weight`
 * over the trailing `normalizedShape` dimensions. The one RMSNorm of the
 * project: the {@link RMSNorm} module and BitLinear's parameter-free norm call it.
 *
 * @example
 * ```ts
 * rmsNorm(param(tensor([[3, 4]])), 2).toArray(); // [[0.8485281, 1.1313709]]
 * ```
 */
export function rmsNorm(x: Var, normalizedShape: number | readonly number[], opts: RMSNormFunctionOptions = {}): Var {
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
  const axes = trailingAxes(x.shape, shape, "RMSNorm");
  const eps = opts.eps ?? (x.dtype === "float64" ? EPSILON.float64 : EPSILON.float32);
  const y = x.mul(x.mul(x).mean(axes, { keepDims: true }).add(eps).rsqrt());
  return opts.weight === undefined || opts.weight === null ? y : y.mul(opts.weight);
}

/**
 * Root-mean-square normalisation over the last dimensions.
 *
 * @example
 * ```ts
 * new RMSNorm(2).forward(param(tensor([[3, 4]]))).toArray(); // [[0.8485281, 1.1313709]] (rms = √12.5)
 * ```
 */
export class RMSNorm extends Module {
  /** The trailing shape normalised over. */
  readonly normalizedShape: readonly number[];
  /** The eps given, or undefined for the dtype's epsilon. */
  readonly eps: number | undefined;
  /** The learned scale, or null. */
  weight: Var | null;

  constructor(normalizedShape: number | readonly number[], opts: RMSNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.eps = opts.eps;
    this.weight = opts.elementwiseAffine === false ? null : param(ones(this.normalizedShape, opts.dtype ?? "float32"));
  }

  forward(x: Var): Var {
    return rmsNorm(x, this.normalizedShape, { eps: this.eps, weight: this.weight });
  }
}
