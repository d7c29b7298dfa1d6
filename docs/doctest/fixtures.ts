// Doctest fixtures: the context many examples take for granted (`model`,
// `tok`, `x`, `bytes`, ...), built fresh for each example that names them.
// Looked up by symbol (`Class.member`), then by source file, then by
// package; an example that declares the name itself keeps its own.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { Var, param } from "@bitnet-quantize/autograd";
import { Linear, Module, ReLU, Sequential, mse } from "@bitnet-quantize/autograd/nn";
import { AdamW, SGD } from "@bitnet-quantize/autograd/optim";
import { generatorDraw } from "@bitnet-quantize/autograd/testing";
import {
  BigramQueue, BitLinear, BitNetAttention, BitNetConfig, BitNetDecoderLayer, BitNetMLP, BitNetModel, type SpmTokenizer, absMeanTernary, ropeTables, ropeTensors,
  trainTokenizer,
} from "@bitnet-quantize/bitnet";
import { BitNetAdapter, BitNetAdapterConfig, LoraBitLinear } from "@bitnet-quantize/bitnet/adapter";
import { encodeGguf } from "@bitnet-quantize/bitnet/gguf";
import { ByteLevelBpeTokenizer, byteToUnicode, exportHfCheckpoint } from "@bitnet-quantize/bitnet/hf";
import { GgufBuilder, parseGguf } from "@bitnet-quantize/gguf";
import { Generator, type Tensor, defaultCpuBackend, randn, tensor } from "@bitnet-quantize/tensor";

type Factory = (get: (name: string) => unknown) => unknown;
type Table = Record<string, Factory>;

/** A float model with one Linear named q_proj (128 -> 64), for the adapter's examples. */
class Projection extends Module<Var, Var> {
  q_proj = new Linear(128, 64, { seed: 1 });
  forward(x: Var): Var {
    return this.q_proj.forward(x);
  }
}

/** A two-layer module with children fc1 (4 -> 8) and fc2 (8 -> 2). */
class MLP extends Module<Var, Var> {
  fc1 = new Linear(4, 8, { seed: 1 });
  fc2 = new Linear(8, 2, { seed: 2 });
  forward(x: Var): Var {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

const TEXT = "the cat sat on the mat. the dog sat on the log. héllo hi a x\n".repeat(30);
const modelConfig = { vocabSize: 300, dim: 64, layers: 1, heads: 4, kvHeads: 2, ffnDim: 128, contextLength: 32 };
const attentionInputs = (T: number): { cos: Tensor; sin: Tensor; mask: Tensor } => {
  const { cos, sin } = ropeTensors(ropeTables(T, 16, 1e4), T);
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -Infinity;
  return { cos, sin, mask: tensor(m, [T, T]) };
};

/** A Llama-3-shaped tokenizer.json: byte-level BPE, a few merges, the special tokens at Llama 3's ids. */
function llama3TokenizerJson(): string {
  const vocab: Record<string, number> = {};
  byteToUnicode().forEach((ch, i) => (vocab[ch] = i));
  const merges: [string, string][] = [["Ġ", "t"], ["h", "e"], ["Ġt", "he"], ["l", "l"], ["ll", "o"], ["Ġ", "w"]];
  let id = 256;
  for (const [a, b] of merges) vocab[a + b] = id++;
  const special: [string, number][] = [["<|begin_of_text|>", 128000], ["<|end_of_text|>", 128001], ["<|eot_id|>", 128009]];
  return JSON.stringify({
    version: "1.0",
    added_tokens: special.map(([content, i]) => ({ id: i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
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
  });
}

/** Writes a small 1bitLLM-layout checkpoint folder `dir` (in the doctests' scratch directory); returns `dir`. */
function checkpointFolder(dir: string): string {
  const files = exportHfCheckpoint(new BitNetModel(modelConfig, { seed: 0 }), trainTokenizer(TEXT, 300));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const common: Table = {
  fc: () => fc,
  cpu: () => defaultCpuBackend(),
  gen: () => new Generator(0),
};

const byPackage: Record<string, Table> = {
  tensor: { x: () => randn([2, 3], { seed: 1 }), g: () => new Generator(0), s: (get) => (get("cpu") as ReturnType<typeof defaultCpuBackend>).upload(new Float32Array([1, 2]), "float32") },
  autograd: {
    x: () => param(tensor([1, 2])),
    d: () => generatorDraw(new Generator(1)),
    MLP: () => MLP,
    model: () => new MLP(),
    mlp: () => new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2)),
    original: () => new Linear(2, 3),
    logits: () => param(randn([4, 3], { seed: 2 })),
    targets: () => tensor([0, 1, 2, 0], [4], "int32"),
    opt: (get) => new SGD((get("model") as MLP).parameters(), { lr: 0.1 }),
    loss: (get) => mse((get("model") as MLP).forward(new Var(randn([2, 4], { seed: 3 }))), randn([2, 2], { seed: 4 })),
    p: () => param(tensor([0, 0])),
  },
  bitnet: {
    tok: () => trainTokenizer(TEXT, 300),
    tokenizer: (get) => get("tok"),
    vocab: (get) => (get("tok") as SpmTokenizer).toJSON(),
    text: () => TEXT,
    model: () => new BitNetModel(modelConfig, { seed: 0 }),
    quant: () => BitNetConfig.default(),
    cfg: (get) => (get("model") as BitNetModel).config,
    x: () => new Var(randn([1, 3, 64], { seed: 1 })),
    inputs: () => attentionInputs(3),
    cos: (get) => (get("inputs") as { cos: Tensor }).cos,
    sin: (get) => (get("inputs") as { sin: Tensor }).sin,
    mask: (get) => (get("inputs") as { mask: Tensor }).mask,
    attn: (get) => new BitNetAttention(get("cfg") as BitNetModel["config"], BitNetConfig.default(), 7),
    mlp: (get) => new BitNetMLP(get("cfg") as BitNetModel["config"], BitNetConfig.default(), 11),
    inf: (get) => (get("model") as BitNetModel).inference("float"),
    cache: (get) => (get("inf") as ReturnType<BitNetModel["inference"]>).newCache(),
    gen: () => new Generator(0),
    adapter: (get) => new BitNetAdapter(get("model") as BitNetModel, new BitNetAdapterConfig({ lora: { rank: 8 } })),
    bytes: (get) => encodeGguf(get("model") as BitNetModel, get("tok") as SpmTokenizer, { type: "F32" }),
  },
  gguf: {
    // A bitnet GGUF: vocabulary 260, dim 256, one layer, TQ2_0 projections, F16 embeddings.
    bytes: () => {
      const tok = trainTokenizer(TEXT, 260);
      const model = new BitNetModel({ vocabSize: 260, dim: 256, layers: 1, heads: 4, kvHeads: 4, ffnDim: 256, contextLength: 32 }, { seed: 0 });
      return encodeGguf(model, tok, { type: "TQ2_0", embeddingType: "F16" });
    },
    file: (get) => parseGguf(get("bytes") as Uint8Array),
    blob: (get) => new Blob([get("bytes") as Uint8Array<ArrayBuffer>]),
    builder: () => new GgufBuilder(),
    values: () => Float32Array.from({ length: 256 * 256 }, (_, i) => (i % 3) - 1),
  },
};

const byFile: Record<string, Table> = {
  "packages/bitnet/src/quantize-weights.ts": { w: () => randn([4, 8], { seed: 1 }), q: () => absMeanTernary(randn([4, 8], { seed: 1 })) },
  "packages/bitnet/src/quantize-activations.ts": { x: () => randn([2, 8], { seed: 1 }) },
  "packages/bitnet/src/ste.ts": { w: () => param(randn([4, 8], { seed: 1 })), x: () => new Var(randn([2, 8], { seed: 2 })) },
  "packages/bitnet/src/config.ts": { cfg: () => BitNetConfig.default() },
  "packages/bitnet/src/bit-linear.ts": { layer: () => new BitLinear(8, 4, { seed: 1 }) },
  "packages/bitnet/src/adapter/lora-bit-linear.ts": { layer: () => new LoraBitLinear(new BitLinear(64, 32), { rank: 4, alpha: 8 }) },
  "packages/bitnet/src/model/decoder-layer.ts": { layer: (get) => new BitNetDecoderLayer(get("cfg") as BitNetModel["config"], BitNetConfig.default(), 1) },
  "packages/bitnet/src/adapter/bitnet-adapter.ts": { model: () => new Projection() },
  "packages/bitnet/src/model/rope.ts": { q: () => new Var(randn([1, 3, 4], { seed: 1 })) },
  "packages/bitnet/src/tokenizer/bigram-queue.ts": { q: () => new BigramQueue() },
  "packages/gguf/src/writer.ts": { values: () => Float32Array.from({ length: 4 * 256 }, (_, i) => (i % 3) - 1) },
  "packages/bitnet/src/hf/byte-level-bpe.ts": { tok: () => ByteLevelBpeTokenizer.fromJson(llama3TokenizerJson()) },
};

const bySymbol: Record<string, Table> = {
  // unfreeze is for QAT adapters (a LoRA adapter keeps its base frozen)
  "BitNetAdapter.unfreeze": { adapter: () => new BitNetAdapter(new Projection(), new BitNetAdapterConfig({})).freeze() },
  "Tensor.toAsync": { g: () => randn([2], { seed: 1 }) },
  // Optimizer state moves between optimizers of the same kind: the example loads it into an AdamW.
  "Optimizer.stateDict": { opt: (get) => new AdamW((get("model") as MLP).parameters(), { lr: 1e-3 }) },
  // A GGUF served over HTTP: fetch answers with the package's `bytes`.
  BytesLike: { fetch: (get) => () => Promise.resolve(new Response(get("bytes") as Uint8Array<ArrayBuffer>)) },
  DECODERS: { bytes: () => new Uint8Array(210) }, // one Q6_K block (256 values)
  HfConfig: { text: () => JSON.stringify({ hidden_size: 256, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 512, vocab_size: 300 }) },
  "ByteLevelBpeTokenizer.fromJson": { text: () => llama3TokenizerJson() },
  // The inference engine's q8_K activations need rows of multiples of 256.
  Q8KActivations: { x: () => randn([1, 256], { seed: 1 }) },
  kernelActivations: { x: () => randn([2, 64], { seed: 1 }) },
  "BitLinear.project": { layer: () => new BitLinear(512, 4, { seed: 1 }) },
  "BitNetModel.inference": { model: () => new BitNetModel({ ...modelConfig, dim: 256, ffnDim: 256 }, { seed: 0 }) },
  // The checkpoint folder named in the example ("ckpt"), written in the scratch directory.
  runConvertCommand: { ckpt: () => checkpointFolder("ckpt") },
};

const IDENT = /[A-Za-z_$][\w$]*/g;

/**
 * The fixtures an example's code names and does not declare, built fresh.
 *
 * @example
 * ```ts
 * const f = fixturesFor({ pkg: "bitnet", symbol: "BitNetModel.forward", file: "packages/bitnet/src/model/bitnet-model.ts", line: 1, code: "model.forward(x)" }, new Set());
 * f.has("model"); // true
 * ```
 */
export function fixturesFor(e: { pkg: string; symbol: string; file: string; code: string }, declared: ReadonlySet<string>): Map<string, unknown> {
  const tables = [bySymbol[e.symbol], byFile[e.file], byPackage[e.pkg], common].filter((t): t is Table => t !== undefined);
  const cache = new Map<string, unknown>();
  const get = (name: string): unknown => {
    if (cache.has(name)) return cache.get(name);
    const f = tables.find((t) => Object.hasOwn(t, name))?.[name];
    if (f === undefined) throw new ReferenceError(`${name} is not defined`);
    const v = f(get);
    cache.set(name, v);
    return v;
  };
  const out = new Map<string, unknown>();
  for (const name of new Set(e.code.match(IDENT) ?? [])) {
    if (declared.has(name) || !tables.some((t) => Object.hasOwn(t, name))) continue;
    out.set(name, get(name));
  }
  return out;
}
