// The pieces of the Hugging Face formats: 2B-4T's 4-per-byte packing, SentencePiece's tokenizer.model
// protobuf (read and write), config.json checks.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HfCheckpointError, packHfTernary, parseSentencePieceModel, readHfConfig, unpackHfTernary, writeSentencePieceModel } from "@bitnet-quantize/bitnet/hf";

describe("2B-4T packing (transformers pack_weights / unpack_weights)", () => {
  it("the docstring byte 0b10100001 is rows r, R+r, 2R+r, 3R+r = 0, -1, +1, +1", () => {
    expect(Array.from(unpackHfTernary(new Uint8Array([0b10100001]), 4, 1, "w"))).toEqual([0, -1, 1, 1]);
    // 8 rows, 1 column: R = 2, so byte 0 holds rows 0, 2, 4, 6.
    const codes = Int8Array.from([1, 0, -1, 0, 0, 0, 1, 0]);
    expect(Array.from(packHfTernary(codes, 8, 1))).toEqual([(2 << 0) | (0 << 2) | (1 << 4) | (2 << 6), 0b01010101]);
  });
  it("unpack(pack(t)) = t for any shape, out not a multiple of 4 included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 5 }), fc.infiniteStream(fc.constantFrom(-1, 0, 1)), (out, inp, s) => {
        const t = Int8Array.from(s.take(out * inp));
        expect(Array.from(unpackHfTernary(packHfTernary(t, out, inp), out, inp, "w"))).toEqual(Array.from(t));
      }),
    );
  });
  it("wrong sizes and code 3 are errors", () => {
    expect(() => unpackHfTernary(new Uint8Array(3), 8, 1, "w")).toThrow(/expected \[2, 1\]/);
    expect(() => unpackHfTernary(new Uint8Array([3]), 4, 1, "w")).toThrow(/packed code 3 at row 0/);
  });
});

describe("SentencePiece tokenizer.model", () => {
  const model = {
    pieces: ["<unk>", "<s>", "</s>", "▁the", "<0x0A>", "é"], scores: [0, 0, 0, -1.5, 0, -3.25], types: [2, 3, 3, 1, 6, 1],
    unkId: 0, bosId: 1, eosId: 2, padId: -1, modelType: "bpe" as const, byteFallback: true, addDummyPrefix: true,
  };
  it("round-trips every field, including a negative pad id (a 10-byte varint)", () => {
    expect(parseSentencePieceModel(writeSentencePieceModel(model))).toEqual(model);
    expect(parseSentencePieceModel(writeSentencePieceModel({ ...model, addDummyPrefix: false, modelType: "unigram", padId: 3 }))).toMatchObject({ addDummyPrefix: false, modelType: "unigram", padId: 3 });
  });
  it("reads any BytesLike (ArrayBuffer, Buffer) and refuses a string with a typed error", () => {
    const bytes = writeSentencePieceModel(model);
    expect(parseSentencePieceModel(bytes.slice().buffer)).toEqual(model);
    expect(parseSentencePieceModel(Buffer.from(bytes))).toEqual(model);
    expect(() => parseSentencePieceModel("tokenizer.model" as unknown as Uint8Array)).toThrow(/parseSentencePieceModel: expected bytes/);
  });
  it("skips unknown fields (a self-test field 4, an unknown fixed64)", () => {
    const base = writeSentencePieceModel(model);
    const extra = Uint8Array.from([...base, (4 << 3) | 2, 3, 1, 2, 3, (99 << 3 & 0x7f) | 0x80 | 1, 99 >> 4, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseSentencePieceModel(extra).pieces).toEqual(model.pieces);
  });
  it("every truncation is an HfCheckpointError, never another exception", () => {
    const bytes = writeSentencePieceModel(model);
    for (let n = 0; n < bytes.length - 1; n++) {
      try {
        parseSentencePieceModel(bytes.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(HfCheckpointError);
      }
    }
  });
});

describe("config.json", () => {
  const base = { hidden_size: 256, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 512, vocab_size: 300 };
  it("defaults and refusals", () => {
    expect(readHfConfig(base).model).toMatchObject({ kvHeads: 4, ropeTheta: 10000, contextLength: 2048, hiddenActivation: "silu" });
    expect(() => readHfConfig({ ...base, attention_bias: true })).toThrow(/no biases/);
    expect(() => readHfConfig({ ...base, rope_scaling: { type: "dynamic", factor: 2 } })).toThrow(/rope_scaling/);
    expect(readHfConfig({ ...base, rope_scaling: { type: "linear", factor: 1 } }).model.dim).toBe(256);
    expect(() => readHfConfig({ ...base, head_dim: 32 })).toThrow(/head_dim 32/);
    expect(() => readHfConfig({ ...base, num_key_value_heads: 3 })).toThrow(HfCheckpointError);
    expect(() => readHfConfig("{")).toThrow(/not JSON/);
    expect(() => readHfConfig({ ...base, quantization_config: { linear_class: "other" } })).toThrow(/linear_class/);
  });
});
