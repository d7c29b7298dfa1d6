// importGguf checks the file's model metadata before allocating: sizes against
// caps and against the tensors present, types and ranges, no silent defaults,
// and every failure a GgufModelError (or a GgufError for malformed bytes).
import { describe, expect, it } from "vitest";
import { type GgufValue, GgufError, arr, bool, f32, f64, parseGguf, str, u32, u64, writeGguf } from "@bitnet-quantize/gguf";
import { BitNetModel, trainTokenizer } from "@bitnet-quantize/bitnet";
import { GgufModelError, encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { validateModelMetadata } from "../src/gguf/model-metadata.js";

const tok = trainTokenizer("the cat sat on the mat. the dog sat on the log.\n".repeat(10), 280);
const V = tok.vocabSize;
const good = encodeGguf(new BitNetModel({ vocabSize: V, dim: 32, layers: 2, heads: 2, ffnDim: 64, contextLength: 16 }, { seed: 1 }), tok, { type: "F32", warn: () => {} });
const goodFile = parseGguf(good);

/** The good file with its metadata edited (tensors copied byte for byte). */
function withMeta(edit: (m: Map<string, GgufValue>) => void): Uint8Array {
  const m = new Map(goodFile.metadata);
  edit(m);
  return writeGguf({
    metadata: [...m],
    tensors: goodFile.tensors.map((t) => ({ name: t.name, shape: [...t.shape], type: t.type, bytes: good.slice(goodFile.dataOffset + t.offset, goodFile.dataOffset + t.offset + t.byteLength) })),
  });
}

function rejects(bytes: Uint8Array, message: RegExp): void {
  let err: unknown;
  try {
    importGguf(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GgufModelError);
  expect((err as Error).message).toMatch(message);
}

describe("importGguf validates the model metadata before allocating", () => {
  it("imports the untouched file", () => {
    expect(importGguf(good).model.config.layers).toBe(2);
    expect(validateModelMetadata(goodFile).config).toEqual(importGguf(good).model.config);
  });

  it("block_count larger than the blocks present (4000) is refused before any allocation", () => {
    rejects(withMeta((m) => m.set("bitnet.block_count", u32(4000))), /block_count is 4000, expected an integer in \[1, 512\]/);
    rejects(withMeta((m) => m.set("bitnet.block_count", u32(300))), /block_count is 300, but the file holds tensors of 2 blocks/);
    rejects(withMeta((m) => m.set("bitnet.block_count", u32(1))), /block_count is 1, but the file holds tensors of 2 blocks/);
  });

  it("block_count stored as f64 4294967295 is a type error, not a hang", () => {
    rejects(withMeta((m) => m.set("bitnet.block_count", f64(4294967295))), /block_count is a f64, expected an integer type/);
  });

  it("context_length of 2^31 (u32 or u64) is out of range", () => {
    rejects(withMeta((m) => m.set("bitnet.context_length", u32(2 ** 31))), /context_length is 2147483648, expected an integer in \[1, /);
    rejects(withMeta((m) => m.set("bitnet.context_length", u64(2n ** 40n))), /context_length is 1099511627776/);
  });

  it("general.architecture stored as u64 is named, not a BigInt serialization TypeError", () => {
    rejects(withMeta((m) => m.set("general.architecture", u64(7n))), /general\.architecture is a u64/);
  });

  it("no silent defaults: bos_token_id out of the vocabulary, add_bos_token as a string, an unknown activation", () => {
    rejects(withMeta((m) => m.set("tokenizer.ggml.bos_token_id", u32(100000))), new RegExp(`bos_token_id is 100000, expected an integer in \\[0, ${V - 1}\\]`));
    rejects(withMeta((m) => m.set("tokenizer.ggml.add_bos_token", str("false"))), /add_bos_token is a string, expected a bool/);
    rejects(withMeta((m) => m.set("bitnet.hidden_activation", str("gelu"))), /hidden_activation is "gelu"/);
    rejects(withMeta((m) => m.set("tokenizer.ggml.token_type", arr("i32", new Array<number>(V).fill(99)))), /token_type\[0\] is 99/);
    rejects(withMeta((m) => m.set("bitnet.attention.layer_norm_rms_epsilon", f32(-1))), /layer_norm_rms_epsilon is -1/);
    rejects(withMeta((m) => m.set("tokenizer.ggml.add_eos_token", u32(0))), /add_eos_token is a u32, expected a bool/);
  });

  it("dimensions are checked against the tensors: embedding length, heads, feed-forward length", () => {
    rejects(withMeta((m) => m.set("bitnet.embedding_length", u32(64))), /embedding_length is 64/);
    rejects(withMeta((m) => m.set("bitnet.attention.head_count", u32(3))), /not a multiple of/);
    rejects(withMeta((m) => m.set("bitnet.attention.head_count_kv", u32(4))), /head_count_kv is 4, expected an integer in \[1, 2\]/);
    rejects(withMeta((m) => m.set("bitnet.feed_forward_length", u32(48))), /tensor blk\.0\.ffn_sub_norm\.weight has shape \[64\], expected \[48\]/);
    rejects(withMeta((m) => m.set("tokenizer.ggml.tokens", arr("string", ["a", "b"]))), /tokenizer\.ggml\.scores must be a numeric array of 2 entries/);
    const twoTokens = (m: Map<string, GgufValue>): void => {
      m.set("tokenizer.ggml.tokens", arr("string", ["a", "b"]));
      for (const k of ["tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.unknown_token_id"]) m.delete(k);
    };
    rejects(withMeta(twoTokens), /token_embd\.weight has \d+ rows; the vocabulary has 2 tokens/);
  });

  it("malformed bytes are a GgufError", () => {
    expect(() => importGguf(good.subarray(0, 40))).toThrow(GgufError);
    expect(() => importGguf(new Uint8Array(3))).toThrow(GgufError);
  });

  it("the flag defaults apply only when a key is absent", () => {
    const noBos = withMeta((m) => {
      m.delete("tokenizer.ggml.add_bos_token");
      m.set("tokenizer.ggml.add_eos_token", bool(true));
    });
    const t = importGguf(noBos).tokenizer;
    const ids = t.encode("the cat");
    expect(ids[0]).toBe(t.bosId);
    expect(ids[ids.length - 1]).toBe(t.eosId);
  });
});
