// BitNetDecoderLayer: one pre-norm transformer block of the `bitnet`
// architecture: h = x + attn(input_layernorm(x)); out = h + mlp(post_attention_layernorm(h)).
//
// Shapes: x [B, T, C] -> [B, T, C].
import type { Var } from "@bitnet-quantize/autograd";
import { Module, RMSNorm } from "@bitnet-quantize/autograd/nn";
import type { BitNetConfig } from "../config.js";
import { type AttentionInputs, BitNetAttention } from "./attention.js";
import { BitNetMLP } from "./mlp.js";
import type { BitNetModelConfig } from "./model-config.js";

/**
 * A decoder block with HF names: `input_layernorm` (GGUF `attn_norm`),
 * `self_attn`, `post_attention_layernorm` (GGUF `ffn_norm`), `mlp`.
 *
 * @example
 * ```ts
 * new BitNetDecoderLayer(cfg, quant, 0).forward([x, inputs]).shape; // x.shape
 * ```
 */
export class BitNetDecoderLayer extends Module<[Var, AttentionInputs], Var> {
  input_layernorm: RMSNorm;
  self_attn: BitNetAttention;
  post_attention_layernorm: RMSNorm;
  mlp: BitNetMLP;

  /**
   * A block whose seven projections are seeded `seed .. seed+6`.
   *
   * @example
   * ```ts
   * new BitNetDecoderLayer(cfg, BitNetConfig.default(), 1).mlp.down_proj.inFeatures; // cfg.ffnDim
   * ```
   */
  constructor(cfg: BitNetModelConfig, quant: BitNetConfig, seed: number, init: "uniform" | "empty" = "uniform") {
    super();
    this.input_layernorm = new RMSNorm(cfg.dim, { eps: cfg.normEps });
    this.self_attn = new BitNetAttention(cfg, quant, seed, init);
    this.post_attention_layernorm = new RMSNorm(cfg.dim, { eps: cfg.normEps });
    this.mlp = new BitNetMLP(cfg, quant, seed + 4, init);
  }

  /**
   * x `[B, T, C]` to `[B, T, C]`.
   *
   * @example
   * ```ts
   * layer.forward([x, inputs]).shape; // x.shape
   * ```
   */
  forward([x, inputs]: [Var, AttentionInputs]): Var {
    const h = x.add(this.self_attn.forward([this.input_layernorm.forward(x), inputs]));
    return h.add(this.mlp.forward(this.post_attention_layernorm.forward(h)));
  }
}
