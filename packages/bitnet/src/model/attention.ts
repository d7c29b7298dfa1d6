// BitNetAttention: grouped-query causal self-attention with NEOX RoPE and the
// BitNet sub-norm before the output projection, as llama.cpp's `bitnet`
// graph computes it. The training (autograd) path; inference with a KV cache
// is in inference.ts.
//
// Shapes: B batch, T time, C = dim channels, H heads, K kv heads, D = C/H head
// size, G = H/K query heads per kv head.
import type { Var } from "@bitnet-quantize/autograd";
import { Module, RMSNorm } from "@bitnet-quantize/autograd/nn";
import type { Tensor } from "@bitnet-quantize/tensor";
import { BitLinear } from "../bit-linear.js";
import type { BitNetConfig } from "../config.js";
import { type BitNetModelConfig, headDim } from "./model-config.js";
import { applyRope } from "./rope.js";

/**
 * What attention needs besides its input: the RoPE tables for positions
 * 0..T-1 (`[T, D/2]`) and the additive causal mask (`[T, T]`, 0 or −∞).
 *
 * @example
 * ```ts
 * const ctx: AttentionInputs = { cos, sin, mask };
 * ```
 */
export interface AttentionInputs {
  readonly cos: Tensor;
  readonly sin: Tensor;
  readonly mask: Tensor;
}

/**
 * Self-attention of one decoder layer: `q_proj`, `k_proj`, `v_proj` (BitLinear,
 * no bias), RoPE on q and k, causal softmax(q·kᵀ/√D)·v with each kv head
 * shared by G query heads, `attn_sub_norm` (RMSNorm), then `o_proj`.
 *
 * @example
 * ```ts
 * const attn = new BitNetAttention(cfg, quant, 7);
 * attn.forward([x, inputs]).shape; // [B, T, C]
 * ```
 */
export class BitNetAttention extends Module<[Var, AttentionInputs], Var> {
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  q_proj: BitLinear;
  k_proj: BitLinear;
  v_proj: BitLinear;
  o_proj: BitLinear;
  attn_sub_norm: RMSNorm;

  /**
   * Four BitLinear projections seeded `seed .. seed+3`, and the sub-norm.
   *
   * @example
   * ```ts
   * new BitNetAttention(resolveModelConfig({ vocabSize: 300, dim: 256, layers: 1, heads: 4 }), BitNetConfig.default(), 1).headDim; // 64
   * ```
   */
  constructor(cfg: BitNetModelConfig, quant: BitNetConfig, seed: number, init: "uniform" | "empty" = "uniform") {
    super();
    this.heads = cfg.heads;
    this.kvHeads = cfg.kvHeads;
    this.headDim = headDim(cfg);
    const kvDim = this.kvHeads * this.headDim;
    this.q_proj = new BitLinear(cfg.dim, cfg.dim, { bias: false, config: quant, seed, init });
    this.k_proj = new BitLinear(cfg.dim, kvDim, { bias: false, config: quant, seed: seed + 1, init });
    this.v_proj = new BitLinear(cfg.dim, kvDim, { bias: false, config: quant, seed: seed + 2, init });
    this.o_proj = new BitLinear(cfg.dim, cfg.dim, { bias: false, config: quant, seed: seed + 3, init });
    this.attn_sub_norm = new RMSNorm(cfg.dim, { eps: cfg.normEps });
  }

  /**
   * x `[B, T, C]` (already normed) to `[B, T, C]`.
   *
   * @example
   * ```ts
   * attn.forward([x, { cos, sin, mask }]).shape; // x.shape
   * ```
   */
  forward([x, inputs]: [Var, AttentionInputs]): Var {
    const [B, T, C] = x.shape as [number, number, number];
    const H = this.heads;
    const K = this.kvHeads;
    const D = this.headDim;
    const G = H / K;
    const q = applyRope(this.q_proj.forward(x).reshape([B, T, H, D]).permute([0, 2, 1, 3]), inputs.cos, inputs.sin); // [B, H, T, D]
    let k = applyRope(this.k_proj.forward(x).reshape([B, T, K, D]).permute([0, 2, 1, 3]), inputs.cos, inputs.sin); // [B, K, T, D]
    let v = this.v_proj.forward(x).reshape([B, T, K, D]).permute([0, 2, 1, 3]); // [B, K, T, D]
    if (G > 1) {
      // Query head h reads kv head floor(h / G), as ggml's broadcasting matmul does.
      k = k.unsqueeze(2).expand([B, K, G, T, D]).reshape([B, H, T, D]);
      v = v.unsqueeze(2).expand([B, K, G, T, D]).reshape([B, H, T, D]);
    }
    const scores = q.matmul(k.transpose(-2, -1)).mul(Math.fround(1 / Math.sqrt(D))).add(inputs.mask); // [B, H, T, T]
    const att = scores.softmax(-1).matmul(v); // [B, H, T, D]
    const merged = att.permute([0, 2, 1, 3]).reshape([B, T, C]);
    return this.o_proj.forward(this.attn_sub_norm.forward(merged));
  }
}

