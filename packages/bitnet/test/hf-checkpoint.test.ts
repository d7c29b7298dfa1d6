// Hugging Face BitNet checkpoints: the 1bitLLM layout loads, converts to GGUF with the same logits
// through importGguf, exports back and round-trips, reads shards; the 2B-4T layout (packed U8 +
// weight_scale, relu2, Llama 3 BPE) loads with exactly its codes and scales, and its GGUF export is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeFloats, f16BitsToNumber, numberToF16Bits, parseSafetensors, tensorToFloat32, shardFileName, formatSafetensorsIndex, writeSafetensors, type SafetensorsTensorInput } from "@bitnet-quantize/safetensors";
import { parseGguf } from "@bitnet-quantize/gguf";
import { runCli } from "@bitnet-quantize/gguf/node";
import { type BitNetModel, type TernaryProjection, trainTokenizer, SpmTokenizer, ternaryProjection } from "@bitnet-quantize/bitnet";

/** Codes and scales of every projection of layer `l` (the engine's weights are frozen BitLinears). */
function projectionsOf(model: BitNetModel, l: number): Record<"q" | "k" | "v" | "o" | "gate" | "up" | "down", TernaryProjection> {
  const w = model.inferenceWeights().layers[l];
  return { q: ternaryProjection(w.q), k: ternaryProjection(w.k), v: ternaryProjection(w.v), o: ternaryProjection(w.o), gate: ternaryProjection(w.gate), up: ternaryProjection(w.up), down: ternaryProjection(w.down) };
}
import { encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { type ByteLevelBpeTokenizer, HfCheckpointError, convertHfToGguf, exportHfCheckpoint, loadHfCheckpoint } from "@bitnet-quantize/bitnet/hf";
import { loadHfDirectory, readHfDirectory, runConvertCommand, saveHfDirectory } from "@bitnet-quantize/bitnet/hf/node";
import { bitnet2b4tCheckpoint, oneBitLlmCheckpoint, tinyLlama3TokenizerJson } from "./helpers/hf-checkpoints.js";

const tok = trainTokenizer("the cat sat on the mat. the dog sat on the log. a bird flew over the house.\n".repeat(10), 300);
const V = tok.vocabSize;
const dims = { vocab: V, dim: 256, layers: 2, heads: 4, kvHeads: 2, ffn: 256 };
const dir = mkdtempSync(join(tmpdir(), "bitnet-hf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { warn: (): void => {} };

describe("1bitLLM layout (bitnet_b1_58-*: BitnetForCausalLM, float16 latent weights, tokenizer.model)", () => {
  const { files, tensors } = oneBitLlmCheckpoint(dims, tok, 1);
  const loaded = loadHfCheckpoint(files);
  const ids = (loaded.tokenizer as SpmTokenizer).encode("the cat sat on the log");

  it("loads: layout, config, latent weights exactly the F16 values, the SPM vocabulary", () => {
    expect(loaded.layout).toBe("1bitllm");
    expect(loaded.model.config).toMatchObject({ vocabSize: V, dim: 256, layers: 2, heads: 4, kvHeads: 2, ffnDim: 256, hiddenActivation: "silu", contextLength: 64 });
    const q = loaded.model.layers[1].getSubmodule("self_attn.k_proj") as unknown as { weight: { value: { dataSync(): ArrayLike<number> } } };
    const f16 = parseSafetensors(writeSafetensors({ tensors: new Map([["w", at(tensors, "model.layers.1.self_attn.k_proj.weight")]]) }));
    expect(Array.from(q.weight.value.dataSync())).toEqual(Array.from(loadFloat(f16, "w")));
    expect(loaded.model.layers[0].getParameter("self_attn.attn_sub_norm.weight").shape).toEqual([256]);
    expect(loaded.tokenizer).toBeInstanceOf(SpmTokenizer);
    expect((loaded.tokenizer as SpmTokenizer).encode("the cat sat")).toEqual(tok.encode("the cat sat"));
  });

  for (const type of ["TQ2_0", "TQ1_0"] as const) {
    it(`converts to GGUF ${type}: importGguf gives the same logits as the safetensors loader`, () => {
      const gguf = convertHfToGguf(files, { type, ...quiet });
      const file = parseGguf(gguf);
      expect(file.metadata.get("general.architecture")?.value).toBe("bitnet");
      expect(file.tensors.find((t) => t.name === "blk.0.ffn_up.weight")?.type).toBe(type);
      expect(file.tensors.find((t) => t.name === "token_embd.weight")?.type).toBe("F16"); // the checkpoint's float16, lossless
      const back = importGguf(gguf);
      expect(Array.from(back.model.logits(ids))).toEqual(Array.from(loaded.model.logits(ids)));
      expect(back.tokenizer.toJSON()).toEqual((loaded.tokenizer as SpmTokenizer).toJSON());
    });
  }

  it('scale "fold" (convert_hf_to_gguf.py\'s t·s layout): every code kept, each scale rounded to fp16', () => {
    const back = importGguf(convertHfToGguf(files, { type: "TQ2_0", scale: "fold", ...quiet }));
    for (let l = 0; l < 2; l++) {
      const a = projectionsOf(loaded.model, l);
      const b = projectionsOf(back.model, l);
      for (const key of ["q", "k", "v", "o", "gate", "up", "down"] as const) {
        expect(Array.from(b[key].codes)).toEqual(Array.from(a[key].codes));
        expect(b[key].scales[0]).toBe(f16BitsToNumber(numberToF16Bits(a[key].scales[0])));
      }
    }
  });

  it("exports to the 1bitLLM layout and loads back to identical logits and tokenizer", () => {
    const out = exportHfCheckpoint(loaded.model, loaded.tokenizer as SpmTokenizer);
    const st = parseSafetensors(out["model.safetensors"] as Uint8Array);
    expect([...st.tensorsByName.keys()].sort()).toEqual([...tensors.keys()].sort());
    expect(st.metadata).toEqual({ format: "pt" });
    const again = loadHfCheckpoint({ config: out["config.json"] as string, weights: [st], tokenizerModel: out["tokenizer.model"] as Uint8Array, tokenizerConfig: out["tokenizer_config.json"] as string });
    expect(Array.from(again.model.logits(ids))).toEqual(Array.from(loaded.model.logits(ids)));
    expect((again.tokenizer as SpmTokenizer).toJSON()).toEqual((loaded.tokenizer as SpmTokenizer).toJSON());
    expect(JSON.parse(out["config.json"] as string)).toMatchObject({ architectures: ["BitnetForCausalLM"], model_type: "llama", hidden_act: "silu" });
  });

  it("reads a sharded directory (model.safetensors.index.json) the same as one file, and saveHfDirectory round-trips", async () => {
    const sharded = join(dir, "sharded");
    const names = [...tensors.keys()].sort();
    const half = Math.ceil(names.length / 2);
    const parts = [names.slice(0, half), names.slice(half)];
    const map = new Map<string, string>();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(sharded);
    parts.forEach((part, k) => {
      const shard = shardFileName(k + 1, 2);
      const sub = new Map<string, SafetensorsTensorInput>(part.map((n) => [n, at(tensors, n)]));
      writeFileSync(join(sharded, shard), writeSafetensors({ tensors: sub, metadata: { format: "pt" } }));
      for (const n of part) map.set(n, shard);
    });
    writeFileSync(join(sharded, "model.safetensors.index.json"), formatSafetensorsIndex(map, 0));
    writeFileSync(join(sharded, "config.json"), files.config as string);
    if (files.tokenizerModel === undefined) throw new Error("the fixture has a tokenizer.model");
    writeFileSync(join(sharded, "tokenizer.model"), files.tokenizerModel);
    const fromShards = await loadHfDirectory(sharded);
    expect((await readHfDirectory(sharded)).weights.length).toBe(2);
    expect(Array.from(fromShards.model.logits(ids))).toEqual(Array.from(loaded.model.logits(ids)));
    const saved = join(dir, "saved");
    await saveHfDirectory(saved, loaded.model, loaded.tokenizer as SpmTokenizer);
    expect(Array.from((await loadHfDirectory(saved)).model.logits(ids))).toEqual(Array.from(loaded.model.logits(ids)));
  });

  it("bitnet-gguf convert <hf-dir> out.gguf --type TQ1_0 writes the file and a progress bar", async () => {
    const out = join(dir, "cli.gguf");
    const lines: string[] = [];
    const code = await runCli(["convert", join(dir, "saved"), out, "--type", "TQ1_0"], { out: (s) => lines.push(s), err: (s) => lines.push(s) });
    expect(code).toBe(0);
    expect(lines.join("\n")).toMatch(/wrote .*cli\.gguf/);
    expect(Array.from(importGguf(readFileSync(out)).model.logits(ids))).toEqual(Array.from(loaded.model.logits(ids)));
    const progress: string[] = [];
    const io = { out: (): void => {}, err: (s: string) => progress.push(s), progress: (s: string) => progress.push(s), tty: false };
    expect(await runConvertCommand([join(dir, "saved"), join(dir, "cli2.gguf")], io)).toBe(0);
    expect(progress.join("")).toMatch(/\[#{20}\] 25\/25/);
    expect(await runConvertCommand([join(dir, "saved")], io)).toBe(2);
    expect(await runConvertCommand([join(dir, "nope"), join(dir, "x.gguf")], io)).toBe(1);
    expect(await runConvertCommand([join(dir, "saved"), join(dir, "x.gguf"), "--type", "Q4_0"], io)).toBe(2);
  });

  it("the vocabulary is padded to vocab_size with [PAD{i}] and added tokens applied, as llama.cpp's converter does", () => {
    const padded = oneBitLlmCheckpoint({ ...dims, vocab: V + 3, layers: 1 }, tok, 2);
    const t = loadHfCheckpoint({
      ...padded.files,
      addedTokens: JSON.stringify({ "<extra>": V + 1, "<ignored>": V + 10 }),
      tokenizerConfig: JSON.stringify({ add_bos_token: true, added_tokens_decoder: { [V + 2]: { content: "<|pad|>", special: false } } }),
    }).tokenizer as SpmTokenizer;
    expect(t.vocabSize).toBe(V + 3);
    expect([t.idToToken(V), t.idToToken(V + 1), t.idToToken(V + 2)]).toEqual([`[PAD${V}]`, "<extra>", "<|pad|>"]);
    expect([t.types[V], t.types[V + 1], t.types[V + 2]]).toEqual([5, 4, 3]);
    expect([t.scores[V], t.scores[V + 1]]).toEqual([-10000, -1000]);
  });

  it("names what is wrong: a missing tensor, a wrong shape, an untied lm_head, an unexpected tensor", () => {
    const edit = (f: (m: Map<string, SafetensorsTensorInput>) => void): ReturnType<typeof loadHfCheckpoint> => {
      const m = new Map(tensors);
      f(m);
      return loadHfCheckpoint({ ...files, weights: [parseSafetensors(writeSafetensors({ tensors: m }))] });
    };
    expect(() => edit((m) => m.delete("model.layers.1.mlp.ffn_layernorm.weight"))).toThrow(/model\.layers\.1\.mlp\.ffn_layernorm\.weight is missing/);
    expect(() => edit((m) => m.set("model.norm.weight", { dtype: "F16", shape: [128], data: new Uint8Array(256) }))).toThrow(/has shape \[128\], expected \[256\]/);
    const emb = at(tensors, "model.embed_tokens.weight");
    expect(() => edit((m) => m.set("lm_head.weight", { ...emb, data: new Uint8Array(emb.data.byteLength) }))).toThrow(/lm_head\.weight differs/);
    expect(edit((m) => m.set("lm_head.weight", emb)).layout).toBe("1bitllm");
    expect(edit((m) => m.set("model.layers.0.self_attn.rotary_emb.inv_freq", { dtype: "F32", shape: [32], data: new Float32Array(32) })).layout).toBe("1bitllm");
    expect(() => edit((m) => m.set("model.layers.0.extra.weight", { dtype: "F32", shape: [1], data: new Float32Array(1) }))).toThrow(HfCheckpointError);
    expect(() => loadHfCheckpoint({ ...files, config: '{"hidden_size": 256}' })).toThrow(/num_attention_heads is missing/);
    expect(() => loadHfCheckpoint({ ...files, config: JSON.stringify({ ...JSON.parse(files.config as string), hidden_act: "gelu" }) })).toThrow(/hidden_act "gelu"/);
  });
});

function loadFloat(file: ReturnType<typeof parseSafetensors>, name: string): Float32Array {
  const info = at(file.tensorsByName, name);
  const bits = new Uint16Array(file.bytes.slice(info.byteOffset, info.byteOffset + info.byteLength).buffer);
  return Float32Array.from(bits, (h) => {
    const e = (h >> 10) & 31, m = h & 1023, s = h & 0x8000 ? -1 : 1;
    return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
  });
}

describe("bitnet-b1.58-2B-4T layout (BitNetForCausalLM: U8 packed + weight_scale, relu2, Llama 3 BPE)", () => {
  const { json, vocabSize } = tinyLlama3TokenizerJson();
  const d2 = { vocab: vocabSize, dim: 256, layers: 1, heads: 4, kvHeads: 1, ffn: 256 };
  const { files, codes, weightScales } = bitnet2b4tCheckpoint(d2, 5);
  const withTok = { ...files, tokenizerJson: json };
  const loaded = loadHfCheckpoint(withTok);

  it("loads directly: every projection has exactly the packed codes and scale 1/weight_scale (BitLinear divides)", () => {
    expect(loaded.layout).toBe("bitnet-2b4t");
    expect(loaded.model.config.hiddenActivation).toBe("relu2");
    expect(loaded.model.config.ropeTheta).toBe(500000);
    const w = projectionsOf(loaded.model, 0);
    const names = { q: "self_attn.q_proj", k: "self_attn.k_proj", v: "self_attn.v_proj", o: "self_attn.o_proj", gate: "mlp.gate_proj", up: "mlp.up_proj", down: "mlp.down_proj" } as const;
    for (const [key, path] of Object.entries(names)) {
      const p = w[key as keyof typeof names];
      expect(Array.from(p.codes)).toEqual(Array.from(at(codes, `model.layers.0.${path}.weight`)));
      expect(p.scales[0]).toBe(Math.fround(1 / at(weightScales, `model.layers.0.${path}.weight`)));
    }
    const st = files.weights[0];
    expect(Array.from(loaded.model.layers[0].getParameter("mlp.ffn_sub_norm.weight").value.dataSync())).toEqual(Array.from(tensorToFloat32(st, "model.layers.0.mlp.ffn_sub_norm.weight")));
    expect(Array.from(loaded.model.embed_tokens.weight.value.dataSync())).toEqual(Array.from(tensorToFloat32(st, "model.embed_tokens.weight")));
    const ids = (loaded.tokenizer as ByteLevelBpeTokenizer).encode("hello the world");
    const logits = loaded.model.logits(ids);
    expect(logits.length).toBe(ids.length * d2.vocab);
    expect(logits.every(Number.isFinite)).toBe(true);
  });

  it('linear_class "autobitlinear" multiplies by weight_scale instead', () => {
    const auto = bitnet2b4tCheckpoint(d2, 5, "autobitlinear");
    const m = loadHfCheckpoint(auto.files);
    expect(projectionsOf(m.model, 0).q.scales[0]).toBe(Math.fround(at(auto.weightScales, "model.layers.0.self_attn.q_proj.weight")));
  });

  it("the -bf16 master-weight variant (dense BF16 projections, same names) loads as latent weights", () => {
    const st = files.weights[0];
    const m = new Map<string, SafetensorsTensorInput>();
    for (const t of st.tensors) {
      if (t.name.endsWith("_scale")) continue;
      const data = st.bytes.slice(t.byteOffset, t.byteOffset + t.byteLength);
      if (t.dtype !== "U8") {
        m.set(t.name, { dtype: t.dtype, shape: t.shape, data });
        continue;
      }
      const [rows, inp] = t.shape as [number, number];
      const ws = at(weightScales, t.name);
      const w = Float32Array.from(at(codes, t.name), (c) => c / ws);
      m.set(t.name, { dtype: "BF16", shape: [rows * 4, inp], data: encodeFloats(w, "BF16") });
    }
    const dense = loadHfCheckpoint({ ...files, weights: [parseSafetensors(writeSafetensors({ tensors: m }))] });
    expect(dense.layout).toBe("bitnet-2b4t");
    const a = projectionsOf(dense.model, 0);
    expect(Array.from(a.up.codes)).toEqual(Array.from(at(codes, "model.layers.0.mlp.up_proj.weight")));
  });

  it("its GGUF export is refused with a message naming relu2 and llama.cpp's SiLU graph", () => {
    expect(() => convertHfToGguf(withTok, { type: "TQ2_0" })).toThrow(/hidden_act "relu2".*llama\.cpp b4747's bitnet architecture computes SiLU/);
    expect(() => encodeGguf(loaded.model, tok, { type: "TQ2_0" })).toThrow(/SiLU/);
  });

  it("the Llama 3 tokenizer: BOS from the template, merges, special tokens, byte-level round trip", () => {
    const t = loaded.tokenizer as ByteLevelBpeTokenizer;
    expect(t.vocabSize).toBe(vocabSize);
    const ids = t.encode("hello the world<|eot_id|>");
    expect(ids[0]).toBe(t.bosId);
    // "hello" is not a whole token: merges by rank give "h e", then "l l", then "ll o".
    expect(ids.map((i) => t.tokens[i])).toEqual(["<|begin_of_text|>", "he", "llo", "Ġthe", "Ġw", "o", "r", "l", "d", "<|eot_id|>"]);
    expect(t.decode(ids)).toBe("<|begin_of_text|>hello the world<|eot_id|>");
    expect(t.decode(ids, { removeSpecial: true })).toBe("hello the world");
    const text = "héllo, wörld — 東京 2024年\tdone\r\n";
    expect(t.decode(t.encode(text, { addSpecial: false }))).toBe(text);
  });

  it("the pre-tokenizer splits as the published regex does (Python `regex` output)", () => {
    const t = loaded.tokenizer as ByteLevelBpeTokenizer;
    expect(t.preTokenize("Hello world's 1234567 THEY'LL go!!\n\n  x  ")).toEqual(["Hello", " world", "'s", " ", "123", "456", "7", " THEY", "'LL", " go", "!!\n\n", " ", " x", "  "]);
    expect(t.preTokenize("héllo, wörld — 東京 2024年\tdone\r\n")).toEqual(["héllo", ",", " wörld", " —", " 東京", " ", "202", "4", "年", "\tdone", "\r\n"]);
    expect(t.preTokenize("I'M here. It'S 3.14159")).toEqual(["I", "'M", " here", ".", " It", "'S", " ", "3", ".", "141", "59"]);
  });

  it("rejects a packed weight of the wrong shape and a code of 3", () => {
    const bad = bitnet2b4tCheckpoint({ ...d2 }, 6);
    const st = bad.files.weights[0];
    const m = new Map<string, SafetensorsTensorInput>(st.tensors.map((t) => [t.name, { dtype: t.dtype, shape: t.shape, data: st.bytes.slice(t.byteOffset, t.byteOffset + t.byteLength) }]));
    const k = at(m, "model.layers.0.self_attn.k_proj.weight");
    const three = new Uint8Array(k.data as Uint8Array);
    three[5] = 0xff;
    m.set("model.layers.0.self_attn.k_proj.weight", { ...k, data: three });
    expect(() => loadHfCheckpoint({ ...bad.files, weights: [parseSafetensors(writeSafetensors({ tensors: m }))] })).toThrow(/packed code 3/);
    m.set("model.layers.0.self_attn.k_proj.weight", { dtype: "U8", shape: [64, 256], data: new Uint8Array(64 * 256) });
    expect(() => loadHfCheckpoint({ ...bad.files, weights: [parseSafetensors(writeSafetensors({ tensors: m }))] })).toThrow(/U8 \[16, 256\]/);
  });
});

/** `m.get(k)`, failing the test when the key is missing. */
function at<K, V>(m: ReadonlyMap<K, V>, k: K): V {
  const v = m.get(k);
  if (v === undefined) throw new Error(`missing ${String(k)}`);
  return v;
}
