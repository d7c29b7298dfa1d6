// A bitnet.cpp GGUF file (arch bitnet-b1.58 or bitnet-25, I2_S projections, "gpt2" Llama 3
// vocabulary) built like BitNet's converter writes one, from a 2B-4T-layout checkpoint loaded with
// loadHfCheckpoint (bitnet2b4tCheckpoint + tinyLlama3TokenizerJson). Shared by the importer's tests
// and the doctests (docs/doctest/fixtures.ts).
import { arr, f32, str, u32, writeGguf, type GgufTensorInput } from "@bitnet-quantize/gguf";
import { ternaryProjection } from "@bitnet-quantize/bitnet";
import type { ByteLevelBpeTokenizer, LoadedHfCheckpoint } from "@bitnet-quantize/bitnet/hf";
import type { Dims } from "./hf-checkpoints.js";

/** The GGUF names of the seven projections and their keys in `inferenceWeights().layers[i]`. */
const PROJ = [["attn_q", "q"], ["attn_k", "k"], ["attn_v", "v"], ["attn_output", "o"], ["ffn_gate", "gate"], ["ffn_up", "up"], ["ffn_down", "down"]] as const;

/** The bytes of a bitnet.cpp GGUF of `hf`'s model and tokenizer (dimensions `d`), `token_embd` as `embdType`. */
export function bitnetCppGguf(hf: LoadedHfCheckpoint, d: Dims, arch: string, embdType: "F32" | "F16"): Uint8Array {
  const m = hf.model;
  const tok = hf.tokenizer as ByteLevelBpeTokenizer;
  const w = m.inferenceWeights();
  const tensors: GgufTensorInput[] = [
    { name: "token_embd.weight", shape: [d.vocab, d.dim], type: embdType, values: m.embed_tokens.weight.value.dataSync() as Float32Array },
    { name: "output_norm.weight", shape: [d.dim], type: "F32", values: m.getParameter("norm.weight").value.dataSync() as Float32Array },
  ];
  const norms = [["attn_norm", "input_layernorm.weight"], ["attn_sub_norm", "self_attn.attn_sub_norm.weight"], ["ffn_norm", "post_attention_layernorm.weight"], ["ffn_sub_norm", "mlp.ffn_sub_norm.weight"]] as const;
  m.layers.forEach((layer, i) => {
    for (const [g, path] of norms) {
      const p = layer.getParameter(path);
      tensors.push({ name: `blk.${i}.${g}.weight`, shape: [...p.shape], type: "F32", values: p.value.dataSync() as Float32Array });
    }
    for (const [g, key] of PROJ) {
      const p = ternaryProjection(w.layers[i][key]);
      const values = Float32Array.from(p.codes, (c) => c * p.scales[0]);
      tensors.push({ name: `blk.${i}.${g}.weight`, shape: [p.outFeatures, p.inFeatures], type: "I2_S", values });
    }
  });
  const types = tok.tokens.map((_, id) => (id >= 256 + 6 ? 3 : 1));
  return writeGguf({
    metadata: {
      "general.architecture": str(arch),
      "general.name": str("bitnet2b_2501"),
      "general.file_type": u32(40),
      [`${arch}.block_count`]: u32(d.layers),
      [`${arch}.context_length`]: u32(64),
      [`${arch}.embedding_length`]: u32(d.dim),
      [`${arch}.feed_forward_length`]: u32(d.ffn),
      [`${arch}.attention.head_count`]: u32(d.heads),
      [`${arch}.attention.head_count_kv`]: u32(d.kvHeads),
      [`${arch}.rope.freq_base`]: f32(500000),
      [`${arch}.attention.layer_norm_rms_epsilon`]: f32(1e-5),
      [`${arch}.vocab_size`]: u32(d.vocab),
      [`${arch}.rope.dimension_count`]: u32(d.dim / d.heads),
      "tokenizer.ggml.model": str("gpt2"),
      "tokenizer.ggml.pre": str("llama-bpe"),
      "tokenizer.ggml.tokens": arr("string", [...tok.tokens]),
      "tokenizer.ggml.token_type": arr("i32", types),
      "tokenizer.ggml.merges": arr("string", ["Ġ t", "h e", "Ġt he", "l l", "ll o", "Ġ w"]),
      "tokenizer.ggml.bos_token_id": u32(tok.bosId),
      "tokenizer.ggml.eos_token_id": u32(tok.eosId),
    },
    tensors,
  });
}
