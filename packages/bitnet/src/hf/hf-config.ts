// Reading a Hugging Face BitNet `config.json` into this library's model config, and writing the
// 1bitLLM-style one back. Which published layout a checkpoint uses is decided by its tensors (load-hf.ts).
import { resolveModelConfig, type BitNetModelConfig } from "../model/model-config.js";
import { HfCheckpointError } from "./hf-error.js";

/**
 * The two published layouts: `"1bitllm"` — 1bitLLM's `bitnet_b1_58-*` (`BitnetForCausalLM`,
 * llama names plus `inner_attn_ln`/`ffn_layernorm`, float latent weights, SentencePiece
 * vocabulary) — and `"bitnet-2b4t"` — Microsoft's `bitnet-b1.58-2B-4T`
 * (`BitNetForCausalLM`, U8 weights packed four per byte with `weight_scale`, relu2 FFN,
 * Llama 3 BPE vocabulary; its `-bf16` master-weight repo has the same names with dense
 * BF16 projections).
 *
 * @example
 * ```ts
 * const l: HfLayout = "1bitllm";
 * ```
 */
export type HfLayout = "1bitllm" | "bitnet-2b4t";

/**
 * Parsed config.json, with the values the loader uses.
 *
 * @example
 * ```ts
 * const c = readHfConfig(JSON.parse(text)); // { model: BitNetModelConfig, raw, tieWordEmbeddings, weightScaleMultiplies }
 * ```
 */
export interface HfConfig {
  readonly model: BitNetModelConfig;
  readonly raw: Readonly<Record<string, unknown>>;
  /** `tie_word_embeddings` (default true for BitNet: neither layout ships an lm_head). */
  readonly tieWordEmbeddings: boolean;
  /**
   * For packed weights: true when `quantization_config.linear_class` is "autobitlinear"
   * (W = t·weight_scale); false for the default "bitlinear" (W = t / weight_scale).
   */
  readonly weightScaleMultiplies: boolean;
}

/**
 * Reads config.json (text or parsed): hidden_size, num_hidden_layers, num_attention_heads,
 * num_key_value_heads, intermediate_size, vocab_size, max_position_embeddings, rope_theta,
 * rms_norm_eps, hidden_act ("silu" or "relu2"); refuses what the model cannot represent
 * (biases, rope scaling other than linear ×1, a head_dim other than hidden/heads).
 *
 * @throws HfCheckpointError naming the key.
 * @example
 * ```ts
 * readHfConfig({ hidden_size: 256, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 512, vocab_size: 300, hidden_act: "silu" }).model.dim; // 256
 * ```
 */
export function readHfConfig(input: string | Readonly<Record<string, unknown>>): HfConfig {
  let raw: Record<string, unknown>;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(input) as Record<string, unknown>;
    } catch (e) {
      throw new HfCheckpointError(`config.json is not JSON (${(e as Error).message})`);
    }
  } else raw = { ...input };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new HfCheckpointError("config.json must be a JSON object");
  const int = (key: string, fallback?: number): number => {
    const v = raw[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new HfCheckpointError(`config.json: the required key ${key} is missing`);
    }
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new HfCheckpointError(`config.json: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const num = (key: string, fallback: number): number => {
    const v = raw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new HfCheckpointError(`config.json: ${key} must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  };
  const act = raw["hidden_act"] ?? "silu";
  if (act !== "silu" && act !== "relu2") throw new HfCheckpointError(`config.json: hidden_act ${JSON.stringify(act)} is not supported (BitNet uses "silu" or "relu2")`);
  for (const key of ["attention_bias", "mlp_bias"]) {
    if (raw[key] === true) throw new HfCheckpointError(`config.json: ${key} is true; BitNetModel has no biases`);
  }
  const scaling = raw["rope_scaling"];
  if (scaling !== undefined && scaling !== null) {
    const s = scaling as Record<string, unknown>;
    const type = s["rope_type"] ?? s["type"];
    if (!(type === "linear" && s["factor"] === 1)) throw new HfCheckpointError(`config.json: rope_scaling ${JSON.stringify(scaling)} is not supported (only none or linear × 1)`);
  }
  const dim = int("hidden_size");
  const heads = int("num_attention_heads");
  const headDim = raw["head_dim"];
  if (headDim !== undefined && headDim !== null && headDim !== dim / heads) {
    throw new HfCheckpointError(`config.json: head_dim ${JSON.stringify(headDim)} differs from hidden_size / num_attention_heads = ${dim / heads}`);
  }
  const quant = raw["quantization_config"] as Record<string, unknown> | undefined | null;
  const linearClass = quant?.["linear_class"] ?? "bitlinear";
  if (linearClass !== "bitlinear" && linearClass !== "autobitlinear") {
    throw new HfCheckpointError(`config.json: quantization_config.linear_class ${JSON.stringify(linearClass)} is not supported`);
  }
  let model: BitNetModelConfig;
  try {
    model = resolveModelConfig({
      vocabSize: int("vocab_size"),
      dim,
      layers: int("num_hidden_layers"),
      heads,
      kvHeads: int("num_key_value_heads", heads),
      ffnDim: int("intermediate_size"),
      contextLength: int("max_position_embeddings", 2048),
      ropeTheta: num("rope_theta", 10000),
      normEps: num("rms_norm_eps", 1e-5),
      hiddenActivation: act,
    });
  } catch (e) {
    throw new HfCheckpointError(`config.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { model, raw, tieWordEmbeddings: raw["tie_word_embeddings"] !== false, weightScaleMultiplies: linearClass === "autobitlinear" };
}

/**
 * The config.json of a model in the 1bitLLM layout (`BitnetForCausalLM`, model_type
 * "llama", float16 latent weights), as 1bitLLM publishes it.
 *
 * @example
 * ```ts
 * JSON.parse(hfConfigJson(model.config)).architectures; // ["BitnetForCausalLM"]
 * ```
 */
export function hfConfigJson(c: BitNetModelConfig, extra: { bosId?: number; eosId?: number; dtype?: "float16" | "float32" } = {}): string {
  const cfg = {
    architectures: ["BitnetForCausalLM"],
    model_type: "llama",
    hidden_size: c.dim,
    intermediate_size: c.ffnDim,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    num_key_value_heads: c.kvHeads,
    vocab_size: c.vocabSize,
    max_position_embeddings: c.contextLength,
    rope_theta: c.ropeTheta,
    rms_norm_eps: c.normEps,
    hidden_act: c.hiddenActivation,
    rope_scaling: null,
    attention_bias: false,
    tie_word_embeddings: true,
    input_bits: 8,
    weight_bits: 1,
    bos_token_id: extra.bosId ?? 1,
    eos_token_id: extra.eosId ?? 2,
    torch_dtype: extra.dtype ?? "float32",
  };
  return `${JSON.stringify(cfg, null, 2)}\n`;
}
