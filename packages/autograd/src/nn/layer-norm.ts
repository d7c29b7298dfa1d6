// LayerNorm (as torch.nn.LayerNorm): y = (x - mean) / √(var + eps) · weight + bias
// over the trailing normalized dimensions, with the population variance.
import { ones, zeros } from "@bitnet-quantize/tensor";
import { type Var, param } from "../var.js";
import { Module } from "./module.js";
import { trailingAxes } from "./norm-shape.js";

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Learn weight (ones) and bias (zeros) (default true). */
  readonly elementwiseAffine?: boolean;
  /** Learn the bias (default true; needs elementwiseAffine). */
  readonly bias?: boolean;
  /** Parameter dtype (default float32). */
  readonly dtype?: "float32" | "float64";
}

/**
 * Layer normalisation over the last dimensions.
 *
 * @example
 * ```ts
 * new LayerNorm(2).forward(param(tensor([[1, 3]]))).toArray(); // [[-0.99999, 0.99999]]
 * ```
 */
export class LayerNorm extends Module {
  /** The trailing shape normalised over. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Scale (ones), or null. */
  weight: Var | null;
  /** Shift (zeros), or null. */
  bias: Var | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.elementwiseAffine !== false;
    const dtype = opts.dtype ?? "float32";
    this.weight = affine ? param(ones(this.normalizedShape, dtype)) : null;
    this.bias = affine && opts.bias !== false ? param(zeros(this.normalizedShape, dtype)) : null;
  }

  forward(x: Var): Var {
    const axes = trailingAxes(x.shape, this.normalizedShape, "LayerNorm");
    const centered = x.sub(x.mean(axes, { keepDims: true }));
    const variance = centered.mul(centered).mean(axes, { keepDims: true });
    let y = centered.mul(variance.add(this.eps).rsqrt());
    if (this.weight !== null) y = y.mul(this.weight);
    if (this.bias !== null) y = y.add(this.bias);
    return y;
  }
}
