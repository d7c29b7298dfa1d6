// Small Hugging Face BitNet checkpoints built in memory with the exact published tensor names,
// dtypes, shapes and packing: 1bitLLM bitnet_b1_58-* and bitnet-b1.58-2B-4T.
import { encodeFloats, parseSafetensors, writeSafetensors, type SafetensorsTensorInput } from "@bitnet-quantize/safetensors";
import type { SpmTokenizer } from "@bitnet-quantize/bitnet";
import { packHfTernary, writeSentencePieceModel, byteToUnicode, type HfCheckpointFiles } from "@bitnet-quantize/bitnet/hf";

/** A deterministic generator of floats in [-1, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

export interface Dims {
  vocab: number;
  dim: number;
  layers: number;
  heads: number;
  kvHeads: number;
  ffn: number;
}

const PROJ_SHAPES = (d: Dims): [string, number, number][] => {
  const kv = (d.dim / d.heads) * d.kvHeads;
  return [
    ["self_attn.q_proj", d.dim, d.dim],
    ["self_attn.k_proj", kv, d.dim],
    ["self_attn.v_proj", kv, d.dim],
    ["self_attn.o_proj", d.dim, d.dim],
    ["mlp.gate_proj", d.ffn, d.dim],
    ["mlp.up_proj", d.ffn, d.dim],
    ["mlp.down_proj", d.dim, d.ffn],
  ];
};

/** The SentencePiece tokenizer.model of an SpmTokenizer. */
export function spmModelBytes(tok: SpmTokenizer): Uint8Array {
  return writeSentencePieceModel({
    pieces: tok.tokens, scores: Array.from(tok.scores), types: Array.from(tok.types), unkId: tok.unkId, bosId: tok.bosId, eosId: tok.eosId,
    padId: -1, modelType: "bpe", byteFallback: true, addDummyPrefix: tok.addSpacePrefix,
  });
}

/**
 * A 1bitLLM-layout checkpoint: config.json as 1bitLLM publishes it (BitnetForCausalLM, model_type llama,
 * silu, float16), float latent weights in `dtype` under llama names with `inner_attn_ln` and
 * `ffn_layernorm`, no lm_head, the tokenizer's tokenizer.model. Returns the raw tensors too.
 */
export function oneBitLlmCheckpoint(d: Dims, tok: SpmTokenizer | undefined, seed: number, dtype: "F16" | "F32" | "BF16" = "F16"): { files: HfCheckpointFiles; tensors: Map<string, SafetensorsTensorInput> } {
  const r = lcg(seed);
  const tensors = new Map<string, SafetensorsTensorInput>();
  const put = (name: string, shape: number[], f: () => number): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    tensors.set(name, { dtype, shape, data: encodeFloats(Float32Array.from({ length: n }, f), dtype) });
  };
  put("model.embed_tokens.weight", [d.vocab, d.dim], () => r() * 0.5);
  put("model.norm.weight", [d.dim], () => 1 + r() * 0.2);
  for (let i = 0; i < d.layers; i++) {
    const p = `model.layers.${i}`;
    put(`${p}.input_layernorm.weight`, [d.dim], () => 1 + r() * 0.2);
    put(`${p}.post_attention_layernorm.weight`, [d.dim], () => 1 + r() * 0.2);
    put(`${p}.self_attn.inner_attn_ln.weight`, [d.dim], () => 1 + r() * 0.2);
    put(`${p}.mlp.ffn_layernorm.weight`, [d.ffn], () => 1 + r() * 0.2);
    for (const [proj, out, inp] of PROJ_SHAPES(d)) put(`${p}.${proj}.weight`, [out, inp], () => r() * 0.1);
  }
  const config = {
    architectures: ["BitnetForCausalLM"], model_type: "llama", hidden_size: d.dim, intermediate_size: d.ffn, num_hidden_layers: d.layers,
    num_attention_heads: d.heads, num_key_value_heads: d.kvHeads, vocab_size: d.vocab, max_position_embeddings: 64, rope_theta: 10000.0,
    rms_norm_eps: 1e-5, hidden_act: "silu", bos_token_id: 1, eos_token_id: 2, pad_token_id: d.vocab - 1, input_bits: 8, weight_bits: 1,
    torch_dtype: "float16", rope_scaling: null, attention_bias: false, tie_word_embeddings: false,
  };
  const files: HfCheckpointFiles = {
    config: JSON.stringify(config),
    weights: [parseSafetensors(writeSafetensors({ tensors, metadata: { format: "pt" } }))],
    ...(tok === undefined ? {} : { tokenizerModel: spmModelBytes(tok), tokenizerConfig: JSON.stringify({ add_bos_token: true, add_eos_token: false }) }),
  };
  return { files, tensors };
}

/** A tiny Llama 3 style tokenizer.json: the 256 byte tokens, a few merges, three special tokens after them. */
export function tinyLlama3TokenizerJson(): { json: string; vocabSize: number } {
  const b2u = byteToUnicode();
  const vocab: Record<string, number> = {};
  b2u.forEach((ch, i) => (vocab[ch] = i));
  const merges: [string, string][] = [["Ġ", "t"], ["h", "e"], ["Ġt", "he"], ["l", "l"], ["ll", "o"], ["Ġ", "w"]];
  let id = 256;
  for (const [a, b] of merges) vocab[a + b] = id++;
  const added = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"].map((content, k) => ({ id: id + k, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  const json = {
    version: "1.0",
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" }, behavior: "Isolated", invert: false },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: "TemplateProcessing", single: [{ SpecialToken: { id: "<|begin_of_text|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }], pair: [], special_tokens: {} },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: true, vocab, merges: merges.map(([a, b]) => `${a} ${b}`) },
  };
  return { json: JSON.stringify(json), vocabSize: id + added.length };
}

/** Random ternary codes with about a third zeros. */
export function randomCodes(n: number, r: () => number): Int8Array {
  return Int8Array.from({ length: n }, () => {
    const x = r();
    return x < -1 / 3 ? -1 : x < 1 / 3 ? 0 : 1;
  });
}

/**
 * A bitnet-b1.58-2B-4T-layout checkpoint: config.json (BitNetForCausalLM, model_type bitnet, relu2,
 * tied embeddings, quantization_config), BF16 embedding and norms (`attn_sub_norm`, `ffn_sub_norm`),
 * each projection as U8 [ceil(out/4), in] packed four per byte plus a BF16 `weight_scale` of shape [1].
 * Returns the codes and scales it packed.
 */
export function bitnet2b4tCheckpoint(d: Dims, seed: number, linearClass?: "bitlinear" | "autobitlinear"): {
  files: HfCheckpointFiles;
  codes: Map<string, Int8Array>;
  weightScales: Map<string, number>;
} {
  const r = lcg(seed);
  const tensors = new Map<string, SafetensorsTensorInput>();
  const codes = new Map<string, Int8Array>();
  const weightScales = new Map<string, number>();
  const bf16 = (name: string, shape: number[], f: () => number): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    tensors.set(name, { dtype: "BF16", shape, data: encodeFloats(Float32Array.from({ length: n }, f), "BF16") });
  };
  bf16("model.embed_tokens.weight", [d.vocab, d.dim], () => r() * 0.5);
  bf16("model.norm.weight", [d.dim], () => 1 + r() * 0.2);
  for (let i = 0; i < d.layers; i++) {
    const p = `model.layers.${i}`;
    bf16(`${p}.input_layernorm.weight`, [d.dim], () => 1 + r() * 0.2);
    bf16(`${p}.post_attention_layernorm.weight`, [d.dim], () => 1 + r() * 0.2);
    bf16(`${p}.self_attn.attn_sub_norm.weight`, [d.dim], () => 1 + r() * 0.2);
    bf16(`${p}.mlp.ffn_sub_norm.weight`, [d.ffn], () => 1 + r() * 0.2);
    for (const [proj, out, inp] of PROJ_SHAPES(d)) {
      const t = randomCodes(out * inp, r);
      const name = `${p}.${proj}.weight`;
      codes.set(name, t);
      tensors.set(name, { dtype: "U8", shape: [Math.ceil(out / 4), inp], data: packHfTernary(t, out, inp) });
      // weight_scale ≈ 1/mean|W| for BitLinear (it divides); a BF16 value.
      const ws = Number(encodeFloats([8 + 4 * r()], "BF16").reduce((acc, b, k) => acc + b * 256 ** k, 0));
      const wsValue = new Float32Array(new Uint32Array([ws << 16]).buffer)[0];
      weightScales.set(name, wsValue);
      tensors.set(`${name}_scale`, { dtype: "BF16", shape: [1], data: encodeFloats([wsValue], "BF16") });
    }
  }
  const config = {
    architectures: ["BitNetForCausalLM"], model_type: "bitnet", hidden_size: d.dim, intermediate_size: d.ffn, num_hidden_layers: d.layers,
    num_attention_heads: d.heads, num_key_value_heads: d.kvHeads, vocab_size: d.vocab, max_position_embeddings: 64, rope_theta: 500000.0,
    rms_norm_eps: 1e-5, hidden_act: "relu2", bos_token_id: d.vocab - 3, eos_token_id: d.vocab - 2, tie_word_embeddings: true, torch_dtype: "bfloat16",
    quantization_config: { quant_method: "bitnet", ...(linearClass === undefined ? {} : { linear_class: linearClass }), quantization_mode: "offline" },
  };
  return { files: { config: JSON.stringify(config), weights: [parseSafetensors(writeSafetensors({ tensors, metadata: { format: "pt" } }))] }, codes, weightScales };
}
