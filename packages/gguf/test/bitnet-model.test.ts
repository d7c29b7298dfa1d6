// A small `bitnet` model written by this package is read back identically by this package's
// reader and by @huggingface/gguf: keys with llama.cpp's exact types, tensor names, shapes, values.
import { describe, expect, it } from "vitest";
import { dequantize, parseGguf, readGgufHeader, tensorData, type GgufValueType } from "@bitnet-quantize/gguf";
import { decodeF16, encodeF16, f16BitsToF32, f32ToF16Bits } from "@bitnet-quantize/gguf/codecs";
import { N_EMBD, N_EMBD_GQA, N_FF, N_LAYER, TOKENS, buildBitnetModel } from "./helpers/bitnet-model.js";
import { firstDifference } from "./helpers/compare.js";
import { asHfMetadata, asHfTensorInfos, parseWithHf } from "./helpers/hf.js";

const model = buildBitnetModel();

describe("a bitnet-architecture model file", () => {
  const file = parseGguf(model.bytes);

  it("has llama.cpp's keys with the exact types it checks", () => {
    const types: Record<string, GgufValueType | `array<${GgufValueType}>`> = {};
    for (const [k, v] of file.metadata) types[k] = v.type === "array" ? `array<${v.itemType}>` : v.type;
    expect(types).toEqual({
      "general.architecture": "string",
      "general.name": "string",
      "general.file_type": "u32",
      "general.quantization_version": "u32",
      "bitnet.vocab_size": "u32",
      "bitnet.context_length": "u32",
      "bitnet.embedding_length": "u32",
      "bitnet.block_count": "u32",
      "bitnet.feed_forward_length": "u32",
      "bitnet.attention.head_count": "u32",
      "bitnet.attention.head_count_kv": "u32",
      "bitnet.attention.layer_norm_rms_epsilon": "f32",
      "bitnet.rope.dimension_count": "u32",
      "bitnet.rope.freq_base": "f32",
      "bitnet.rope.scaling.type": "string",
      "bitnet.rope.scaling.factor": "f32",
      "tokenizer.ggml.model": "string",
      "tokenizer.ggml.tokens": "array<string>",
      "tokenizer.ggml.scores": "array<f32>",
      "tokenizer.ggml.token_type": "array<i32>",
      "tokenizer.ggml.bos_token_id": "u32",
      "tokenizer.ggml.eos_token_id": "u32",
      "tokenizer.ggml.unknown_token_id": "u32",
      "tokenizer.ggml.add_bos_token": "bool",
      "tokenizer.ggml.add_eos_token": "bool",
    });
    expect(file.metadata.get("general.architecture")?.value).toBe("bitnet");
    expect(file.metadata.get("bitnet.attention.layer_norm_rms_epsilon")?.value).toBe(Math.fround(1e-5));
    expect(file.metadata.get("tokenizer.ggml.tokens")?.value).toEqual(TOKENS);
  });

  it("has exactly the architecture's tensors, with ne as the spec lists them and no output.weight", () => {
    const ne = (name: string) => file.tensors.find((t) => t.name === name)?.ne;
    expect(file.tensors.length).toBe(2 + 11 * N_LAYER);
    expect(ne("token_embd.weight")).toEqual([N_EMBD, TOKENS.length]);
    expect(ne("output_norm.weight")).toEqual([N_EMBD]);
    expect(ne("blk.1.attn_q.weight")).toEqual([N_EMBD, N_EMBD]);
    expect(ne("blk.1.attn_k.weight")).toEqual([N_EMBD, N_EMBD_GQA]);
    expect(ne("blk.1.attn_v.weight")).toEqual([N_EMBD, N_EMBD_GQA]);
    expect(ne("blk.1.attn_output.weight")).toEqual([N_EMBD, N_EMBD]);
    expect(ne("blk.1.ffn_gate.weight")).toEqual([N_EMBD, N_FF]);
    expect(ne("blk.1.ffn_up.weight")).toEqual([N_EMBD, N_FF]);
    expect(ne("blk.1.ffn_down.weight")).toEqual([N_FF, N_EMBD]);
    expect(ne("blk.1.ffn_sub_norm.weight")).toEqual([N_FF]);
    expect(ne("output.weight")).toBeUndefined();
    expect(file.tensors.map((t) => [t.name, t.shape, t.type])).toEqual(model.table);
    expect(new Set(file.tensors.filter((t) => /attn_(q|k|v|output)|ffn_(gate|up|down)/.test(t.name)).map((t) => t.type))).toEqual(new Set(["TQ1_0", "TQ2_0"]));
  });

  it("decodes every ternary projection to t * fp16(s) exactly, and float tensors as written", () => {
    for (const [name, { trits, scale }] of model.ternary) {
      const d = f16BitsToF32(f32ToF16Bits(scale));
      expect([name, firstDifference(dequantize(file, model.bytes, name), Float32Array.from(trits, (t) => t * d))]).toEqual([name, -1]);
    }
    for (const [name, values] of model.floats) {
      const expected = name === "token_embd.weight" ? decodeF16(encodeF16(values), values.length) : values;
      expect([name, firstDifference(dequantize(file, model.bytes, name), expected)]).toEqual([name, -1]);
    }
  });

  it("is read by @huggingface/gguf with identical metadata, tensor table and tensor bytes", async () => {
    const hf = await parseWithHf(model.bytes);
    expect(hf.version).toBe(3);
    expect(hf.metadata).toEqual(asHfMetadata(file));
    expect(hf.tensorInfos).toEqual(asHfTensorInfos(file));
    expect(hf.tensorDataOffset).toBe(BigInt(file.dataOffset));
    for (const info of hf.tensorInfos) {
      const start = Number(hf.tensorDataOffset + info.offset);
      const ours = tensorData(file, model.bytes, info.name);
      expect([info.name, firstDifference(model.bytes.subarray(start, start + ours.length), ours)]).toEqual([info.name, -1]);
    }
  });

  it("streams the same header from a Blob", async () => {
    expect(await readGgufHeader(new Blob([model.bytes]), { initialBytes: 256 })).toStrictEqual(file);
  });
});
