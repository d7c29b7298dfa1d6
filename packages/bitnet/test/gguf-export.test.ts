// GGUF export and import of BitNetModel: export then import gives identical
// logits for every type; the file has llama.cpp's keys with their exact
// types, tensor names and ne shapes, and nothing else, read by our reader
// and by @huggingface/gguf; fallbacks and refusals; atomic writes.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gguf } from "@huggingface/gguf";
import { GgufError, type GgufValueType, parseGguf, str, writeGguf } from "@bitnet-quantize/gguf";
import { BitNetModel, type SpmTokenizer, ternaryProjection, trainTokenizer } from "@bitnet-quantize/bitnet";
import { GgufModelError, encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { exportGguf } from "@bitnet-quantize/bitnet/node";
import { noGrad } from "@bitnet-quantize/autograd";
import { randn, tensor } from "@bitnet-quantize/tensor";

const tok: SpmTokenizer = trainTokenizer("the cat sat on the mat. the dog sat on the log.\n".repeat(10), 280);
const V = tok.vocabSize;
const ids = tok.encode("the cat sat on the log");
const dir = mkdtempSync(join(tmpdir(), "bitnet-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1 layer, dim 256 (TQ rows), GQA 4 heads over 2; norms randomised so a swapped norm shows. */
function model256(): BitNetModel {
  const m = new BitNetModel({ vocabSize: V, dim: 256, layers: 1, heads: 4, kvHeads: 2, ffnDim: 256, contextLength: 32 }, { seed: 9 });
  noGrad(() => {
    let k = 0;
    for (const [name, p] of m.namedParameters()) if (name.endsWith("norm.weight")) p.value = randn(p.shape, { seed: 50 + k++ }).mul(0.2).add(1);
  });
  return m;
}
const model = model256();
const quiet = { warn: (): void => {} };

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe("export then import", () => {
  for (const type of ["TQ2_0", "TQ1_0", "F16", "F32"] as const) {
    it(`${type}: identical logits (inference pass; training forward with trainable: true) and tokenizer`, () => {
      const bytes = encodeGguf(model, tok, { type, ...quiet });
      const back = importGguf(bytes);
      expect(back.model.config).toEqual(model.config);
      expect(back.model.projections().every(([, p]) => p.isFrozen)).toBe(true); // packed, no latent weights
      for (const mode of ["int8", "float", "q8_K"] as const) expect(maxAbsDiff(back.model.logits(ids, mode), model.logits(ids, mode)), mode).toBe(0);
      const x = tensor([ids], [1, ids.length], "int32");
      const trainable = importGguf(bytes, { trainable: true });
      expect(trainable.model.projections().some(([, p]) => p.isFrozen)).toBe(false);
      expect(maxAbsDiff(trainable.model.logits(ids), model.logits(ids))).toBe(0);
      expect(maxAbsDiff(trainable.model.forward(x).value.dataSync() as Float32Array, model.forward(x).value.dataSync() as Float32Array)).toBe(0);
      expect(back.tokenizer.toJSON()).toEqual(tok.toJSON());
    });
  }
  it('scale: "fold" (the converter\'s layout): F32 exact, TQ2_0 keeps every code and rounds scales to fp16', () => {
    const f32 = importGguf(encodeGguf(model, tok, { type: "F32", scale: "fold", ...quiet }));
    expect(maxAbsDiff(f32.model.logits(ids), model.logits(ids))).toBe(0);
    const warnings: string[] = [];
    const tq = importGguf(encodeGguf(model, tok, { type: "TQ2_0", scale: "fold", warn: (m) => warnings.push(m) }));
    expect(warnings.some((w) => w.includes("fp16"))).toBe(true);
    const a = ternaryProjection(model.layers[0].self_attn.q_proj);
    const b = ternaryProjection(tq.model.layers[0].self_attn.q_proj);
    expect(Array.from(b.codes)).toEqual(Array.from(a.codes));
    expect(Math.abs((b.scales[0] ?? 0) / (a.scales[0] ?? 1) - 1)).toBeLessThan(4.9e-4);
    const la = model.logits(ids, "float");
    expect(maxAbsDiff(tq.model.logits(ids, "float"), la)).toBeLessThan(0.02);
  });
});

describe("import from any byte form", () => {
  it("reads an ArrayBuffer (what fetch gives) and a Node Buffer inside a pool; rejects a string with a GgufError", () => {
    const bytes = encodeGguf(model, tok, { type: "TQ2_0", ...quiet });
    const pool = Buffer.alloc(bytes.length + 9, 0xee);
    pool.set(bytes, 9);
    for (const input of [bytes.slice().buffer, pool.subarray(9)]) {
      expect(maxAbsDiff(importGguf(input).model.logits(ids), model.logits(ids))).toBe(0);
    }
    expect(() => importGguf("model.gguf" as unknown as Uint8Array)).toThrow(GgufError);
    expect(() => importGguf("model.gguf" as unknown as Uint8Array)).toThrow(/importGguf: expected bytes .*got string/);
  });
});

describe("the file", () => {
  const bytes = encodeGguf(model, tok, { type: "TQ2_0", ...quiet });
  const file = parseGguf(bytes);
  it("has every key llama.cpp's bitnet loader reads, with its exact type", () => {
    const types: Record<string, string> = {};
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
      "tokenizer.ggml.model": "string",
      "tokenizer.ggml.tokens": "array<string>",
      "tokenizer.ggml.scores": "array<f32>",
      "tokenizer.ggml.token_type": "array<i32>",
      "tokenizer.ggml.bos_token_id": "u32",
      "tokenizer.ggml.eos_token_id": "u32",
      "tokenizer.ggml.unknown_token_id": "u32",
      "tokenizer.ggml.add_bos_token": "bool",
      "tokenizer.ggml.add_eos_token": "bool",
      "tokenizer.ggml.add_space_prefix": "bool",
    } satisfies Record<string, GgufValueType | `array<${GgufValueType}>`>);
    const get = (k: string): unknown => file.metadata.get(k)?.value;
    expect(get("general.architecture")).toBe("bitnet");
    expect(get("general.file_type")).toBe(37);
    expect(get("bitnet.embedding_length")).toBe(256);
    expect(get("bitnet.attention.head_count_kv")).toBe(2);
    expect(get("bitnet.rope.dimension_count")).toBe(64);
    expect(get("bitnet.attention.layer_norm_rms_epsilon")).toBe(Math.fround(1e-5));
    expect(get("tokenizer.ggml.model")).toBe("llama");
  });
  it("has exactly the spec's tensors with their ne shapes and types (no output.weight)", () => {
    const table = file.tensors.map((t) => [t.name, t.ne.join("x"), t.type]);
    const C = 256;
    const kv = 128;
    const F = 256;
    expect(table).toEqual([
      ["token_embd.weight", `${C}x${V}`, "F32"],
      ["output_norm.weight", `${C}`, "F32"],
      ["blk.0.attn_norm.weight", `${C}`, "F32"],
      ["blk.0.attn_q.weight", `${C}x${C}`, "TQ2_0"],
      ["blk.0.attn_q.scale", "1", "F32"],
      ["blk.0.attn_k.weight", `${C}x${kv}`, "TQ2_0"],
      ["blk.0.attn_k.scale", "1", "F32"],
      ["blk.0.attn_v.weight", `${C}x${kv}`, "TQ2_0"],
      ["blk.0.attn_v.scale", "1", "F32"],
      ["blk.0.attn_output.weight", `${C}x${C}`, "TQ2_0"],
      ["blk.0.attn_output.scale", "1", "F32"],
      ["blk.0.attn_sub_norm.weight", `${C}`, "F32"],
      ["blk.0.ffn_norm.weight", `${C}`, "F32"],
      ["blk.0.ffn_gate.weight", `${C}x${F}`, "TQ2_0"],
      ["blk.0.ffn_gate.scale", "1", "F32"],
      ["blk.0.ffn_up.weight", `${C}x${F}`, "TQ2_0"],
      ["blk.0.ffn_up.scale", "1", "F32"],
      ["blk.0.ffn_down.weight", `${F}x${C}`, "TQ2_0"],
      ["blk.0.ffn_down.scale", "1", "F32"],
      ["blk.0.ffn_sub_norm.weight", `${F}`, "F32"],
    ]);
  });
  it("is read by @huggingface/gguf with the same keys, types, tensors and offsets", async () => {
    const path = join(dir, "hf.gguf");
    await exportGguf(model, tok, { type: "TQ2_0", path, ...quiet });
    const hf = await gguf(path, { allowLocalFile: true, typedMetadata: true });
    const { version, tensor_count, kv_count, ...meta } = hf.typedMetadata;
    expect(version.value).toBe(3);
    expect(Number(tensor_count.value)).toBe(file.tensors.length);
    expect(Number(kv_count.value)).toBe(file.metadata.size);
    const typeIds: Record<string, number> = { string: 8, u32: 4, f32: 6, bool: 7, array: 9 };
    for (const [k, v] of file.metadata) {
      const h = (meta as Record<string, { type: number; value: unknown; subType?: number }>)[k];
      expect([k, h?.type]).toEqual([k, typeIds[v.type]]);
      if (v.type !== "array") expect(h?.value).toEqual(v.value);
    }
    expect((meta as Record<string, { subType?: number }>)["tokenizer.ggml.scores"]?.subType).toBe(6);
    expect((meta as Record<string, { subType?: number }>)["tokenizer.ggml.token_type"]?.subType).toBe(5);
    expect(hf.tensorInfos.map((t) => [t.name, t.shape.map(Number), t.dtype, Number(t.offset)])).toEqual(file.tensors.map((t) => [t.name, [...t.ne], t.typeId, t.offset]));
    expect(Number(hf.tensorDataOffset)).toBe(file.dataOffset);
  });
});

describe("fallbacks, refusals, errors", () => {
  const small = new BitNetModel({ vocabSize: V, dim: 32, layers: 1, heads: 2, ffnDim: 64, contextLength: 16 }, { seed: 1 });
  it("rows that TQ cannot hold fall back to F16 with a warning and unchanged values, or are refused", () => {
    const warnings: string[] = [];
    const bytes = encodeGguf(small, tok, { type: "TQ2_0", warn: (m) => warnings.push(m) });
    expect(warnings.length).toBe(7);
    expect(warnings[0]).toMatch(/blk\.0\.attn_q\.weight has rows of 32 values; TQ2_0 needs a multiple of 256/);
    expect(parseGguf(bytes).tensors.find((t) => t.name === "blk.0.attn_q.weight")?.type).toBe("F16");
    expect(maxAbsDiff(importGguf(bytes).model.logits(ids), small.logits(ids))).toBe(0);
    expect(() => encodeGguf(small, tok, { type: "TQ1_0", onUnsupported: "refuse" })).toThrow(GgufModelError);
  });
  it("refuses relu2 (llama.cpp b4747 computes SiLU) and a tokenizer of another size", () => {
    const r2 = new BitNetModel({ vocabSize: V, dim: 32, layers: 1, heads: 2, ffnDim: 64, hiddenActivation: "relu2" });
    expect(() => encodeGguf(r2, tok, { type: "F32" })).toThrow(/SiLU/);
    const other = new BitNetModel({ vocabSize: V + 1, dim: 32, layers: 1, heads: 2, ffnDim: 64 });
    expect(() => encodeGguf(other, tok, { type: "F32" })).toThrow(/tokenizer has/);
  });
  it("import names what is wrong: architecture, a type it cannot decode, a non-ternary weight, extra tensors", () => {
    expect(() => importGguf(writeGguf({ metadata: { "general.architecture": str("llama") } }))).toThrow(/architecture is "llama"/);
    const rebuild = (edit: (name: string, values: Float32Array) => Float32Array, extra = false): Uint8Array => {
      const bytes = encodeGguf(small, tok, { type: "F32", ...quiet });
      const f = parseGguf(bytes);
      const tensors = f.tensors.map((t) => {
        const v = new Float32Array(bytes.slice(f.dataOffset + t.offset, f.dataOffset + t.offset + t.byteLength).buffer);
        return { name: t.name, shape: [...t.shape], type: "F32" as const, values: edit(t.name, v) };
      });
      if (extra) tensors.push({ name: "output.weight", shape: [V, 32], type: "F32", values: new Float32Array(V * 32) });
      return writeGguf({ metadata: [...f.metadata], tensors });
    };
    expect(() => importGguf(rebuild((n, v) => (n === "blk.0.attn_k.weight" ? v.map((x, i) => x * (1 + (i % 3))) : v)))).toThrow(/blk\.0\.attn_k\.weight is not ternary/);
    expect(() => importGguf(rebuild((_, v) => v, true))).toThrow(/unexpected tensors output\.weight/);
    // a complete dim-256 file whose token_embd is IQ2_XXS, which nothing decodes (the metadata check needs every tensor present)
    const b256 = encodeGguf(small256(), tok, { type: "F32", ...quiet });
    const f256 = parseGguf(b256);
    const q6 = writeGguf({
      metadata: [...f256.metadata],
      tensors: f256.tensors.map((t) =>
        t.name === "token_embd.weight"
          ? { name: t.name, shape: [V, 256], type: "IQ2_XXS" as const, bytes: new Uint8Array(V * 66) }
          : { name: t.name, shape: [...t.shape], type: "F32" as const, values: new Float32Array(b256.slice(f256.dataOffset + t.offset, f256.dataOffset + t.offset + t.byteLength).buffer) },
      ),
    });
    expect(() => importGguf(q6)).toThrow(/token_embd\.weight is IQ2_XXS, which this importer cannot decode/);
  });
});

describe("writing the file", () => {
  it("writes atomically: the bytes land under the name, no temporary file stays, the returned bytes match", async () => {
    const path = join(dir, "atomic.gguf");
    const bytes = await exportGguf(model, tok, { type: "TQ1_0", path, ...quiet });
    expect(Buffer.compare(readFileSync(path), Buffer.from(bytes))).toBe(0);
    const again = await exportGguf(small256(), tok, { type: "F32", path, ...quiet });
    expect(readFileSync(path).length).toBe(again.length);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
  it("leaves nothing behind when the directory does not exist", async () => {
    await expect(exportGguf(model, tok, { type: "F32", path: join(dir, "missing", "m.gguf"), ...quiet })).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

function small256(): BitNetModel {
  return new BitNetModel({ vocabSize: V, dim: 256, layers: 1, heads: 2, ffnDim: 256, contextLength: 8 }, { seed: 2 });
}
