// BitNetMLP: the gated feed-forward block of a BitNet b1.58 layer, as
// llama.cpp's `bitnet` graph computes it: down(ffn_sub_norm(act(gate(x))·up(x))).
// Not the residual around it (decoder-layer.ts).
//
// Shapes: x [B, T, C] -> [B, T, C]; the hidden size F = ffnDim.
import type { Var } from "@bitnet-quantize/autograd";
import { Module, RMSNorm, relu2, silu } from "@bitnet-quantize/autograd/nn";
import { BitLinear } from "../bit-linear.js";
import type { BitNetConfig } from "../config.js";
import type { BitNetModelConfig, HiddenActivation } from "./model-config.js";

/**
 * The feed-forward block: `gate_proj`, `up_proj` (C → F), the activation
 * (SiLU or squared ReLU) on the gate times up, `ffn_sub_norm` (RMSNorm over
 * F), then `down_proj` (F → C). Every projection is a BitLinear without bias.
 *
 * @example
 * ```ts
 * new BitNetMLP(cfg, quant, 11).forward(x).shape; // x.shape
 * ```
 */
export class BitNetMLP extends Module {
  readonly activation: HiddenActivation;
  gate_proj: BitLinear;
  up_proj: BitLinear;
  down_proj: BitLinear;
  ffn_sub_norm: RMSNorm;

  /**
   * Three BitLinear projections seeded `seed .. seed+2`, and the sub-norm over F.
   *
   * @example
   * ```ts
   * new BitNetMLP(cfg, BitNetConfig.default(), 5).gate_proj.outFeatures; // cfg.ffnDim
   * ```
   */
  constructor(cfg: BitNetModelConfig, quant: BitNetConfig, seed: number, init: "uniform" | "empty" = "uniform") {
    super();
    this.activation = cfg.hiddenActivation;
    this.gate_proj = new BitLinear(cfg.dim, cfg.ffnDim, { bias: false, config: quant, seed, init });
    this.up_proj = new BitLinear(cfg.dim, cfg.ffnDim, { bias: false, config: quant, seed: seed + 1, init });
    this.down_proj = new BitLinear(cfg.ffnDim, cfg.dim, { bias: false, config: quant, seed: seed + 2, init });
    this.ffn_sub_norm = new RMSNorm(cfg.ffnDim, { eps: cfg.normEps });
  }

  /**
   * x `[..., C]` (already normed) to `[..., C]`.
   *
   * @example
   * ```ts
   * mlp.forward(x).shape; // x.shape
   * ```
   */
  forward(x: Var): Var {
    const g = this.gate_proj.forward(x);
    const act = this.activation === "silu" ? silu(g) : relu2(g);
    return this.down_proj.forward(this.ffn_sub_norm.forward(act.mul(this.up_proj.forward(x))));
  }
}
