// bitnet.cpp GGUF files (arch bitnet-b1.58, I2_S projections, "gpt2" Llama 3 vocabulary): a file built
// like BitNet's converter writes one for a 2B-4T-layout checkpoint imports to the same logits and
// tokenization as loading the checkpoint directly.
import { describe, expect, it } from "vitest";
import { arr, f32, parseGguf, str, u32, writeGguf, type GgufTensorInput } from "@bitnet-quantize/gguf";
import { ternaryProjection } from "@bitnet-quantize/bitnet";
import { GgufModelError, importBitnetCppGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { type ByteLevelBpeTokenizer, loadHfCheckpoint } from "@bitnet-quantize/bitnet/hf";
import { bitnet2b4tCheckpoint, tinyLlama3TokenizerJson } from "./helpers/hf-checkpoints.js";

const { json, vocabSize } = tinyLlama3TokenizerJson();
const d = { vocab: vocabSize, dim: 256, layers: 1, heads: 4, kvHeads: 1, ffn: 256 };
const hf = loadHfCheckpoint({ ...bitnet2b4tCheckpoint(d, 9).files, tokenizerJson: json });
const tok = hf.tokenizer as ByteLevelBpeTokenizer;
const PROJ = [["attn_q", "q"], ["attn_k", "k"], ["attn_v", "v"], ["attn_output", "o"], ["ffn_gate", "gate"], ["ffn_up", "up"], ["ffn_down", "down"]] as const;

function bitnetCppGguf(arch: string, embdType: "F32" | "F16"): Uint8Array {
  const m = hf.model;
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

describe("importBitnetCppGguf (bitnet-b1.58 / bitnet-25, I2_S)", () => {
  for (const arch of ["bitnet-b1.58", "bitnet-25"]) {
    it(`${arch}: I2_S projections and the gpt2 vocabulary give the checkpoint's logits and token ids`, () => {
      const bytes = bitnetCppGguf(arch, "F32");
      expect(parseGguf(bytes).tensors.filter((t) => t.type === "I2_S" && t.typeId === 36).length).toBe(7);
      const back = importBitnetCppGguf(bytes);
      expect(back.model.config.hiddenActivation).toBe("relu2");
      const text = "hello the world<|eot_id|> héllo";
      expect(back.tokenizer.encode(text)).toEqual(tok.encode(text));
      const ids = tok.encode("hello the world");
      expect(Array.from(back.model.logits(ids))).toEqual(Array.from(hf.model.logits(ids)));
    });
  }
  it("reads any BytesLike (ArrayBuffer, Buffer) and refuses a string with a typed error", () => {
    const bytes = bitnetCppGguf("bitnet-b1.58", "F16");
    expect(importBitnetCppGguf(bytes.slice().buffer).file.tensors.length).toBe(importBitnetCppGguf(Buffer.from(bytes)).file.tensors.length);
    expect(() => importBitnetCppGguf("model.gguf" as unknown as Uint8Array)).toThrow(/importBitnetCppGguf: expected bytes/);
  });
  it("an F16 token_embd (as in the official file) imports", () => {
    expect(importBitnetCppGguf(bitnetCppGguf("bitnet-b1.58", "F16")).file.tensors[0]?.type).toBe("F16");
  });
  it("names the problem: another architecture; importGguf points to this importer", () => {
    const bytes = bitnetCppGguf("bitnet-b1.58", "F32");
    expect(() => importGguf(bytes)).toThrow(/importBitnetCppGguf/);
    expect(() => importBitnetCppGguf(writeGguf({ metadata: { "general.architecture": str("bitnet") } }))).toThrow(GgufModelError);
  });
});
