// LoRA on a frozen ternary base: y = base(x) + (dropout(x) · Aᵀ · Bᵀ) · alpha / r.
// The base is a frozen BitLinear (integer kernel, no gradient); only A and B
// train. B starts at zero, so the adapted layer starts equal to the base.
//
// Shapes: x [..., in]; A [r, in]; B [out, r]; y [..., out].
import { type Var, param } from "@bitnet-quantize/autograd";
import { Dropout, Module, kaimingUniform } from "@bitnet-quantize/autograd/nn";
import { zeros } from "@bitnet-quantize/tensor";
import type { BitLinear } from "../bit-linear.js";
import type { LoraOptions } from "./adapter-config.js";

/**
 * A BitLinear base with a trainable low-rank update.
 *
 * @example
 * ```ts
 * const layer = new LoraBitLinear(new BitLinear(64, 32), { rank: 4, alpha: 8 });
 * layer.parameters().filter((p) => p.requiresGrad).map((p) => p.shape); // [[4, 64], [32, 4]]: the base is frozen
 * ```
 */
export class LoraBitLinear extends Module {
  /** The frozen ternary base (its latent weights are not parameters here). */
  readonly base: BitLinear;
  /** Down projection `[r, in]`, Kaiming-uniform (a = √5) as in PEFT. */
  loraA: Var;
  /** Up projection `[out, r]`, zeros. */
  loraB: Var;
  readonly dropout: Dropout;
  readonly scaling: number;
  readonly rank: number;

  constructor(base: BitLinear, opts: LoraOptions) {
    super();
    this.base = base.isFrozen ? base : base.freeze();
    for (const p of this.base.parameters()) p.requiresGrad = false;
    this.rank = opts.rank;
    this.scaling = (opts.alpha ?? opts.rank) / opts.rank;
    this.loraA = param(kaimingUniform([opts.rank, base.inFeatures], { a: Math.sqrt(5), seed: opts.seed ?? 0 }));
    this.loraB = param(zeros([base.outFeatures, opts.rank]));
    this.dropout = new Dropout(opts.dropout ?? 0, { seed: (opts.seed ?? 0) + 1 });
  }

  /**
   * The base output plus the scaled low-rank update.
   *
   * @example
   * ```ts
   * layer.forward(new Var(randn([2, 64]))).shape; // [2, 32]
   * ```
   */
  forward(x: Var): Var {
    const update = this.dropout.forward(x).matmul(this.loraA.transpose()).matmul(this.loraB.transpose()).mul(this.scaling);
    return this.base.forward(x).add(update);
  }
}
