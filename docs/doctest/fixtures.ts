// Doctest fixtures: the context many examples take for granted (`model`,
// `tok`, `x`, `bytes`, ...), built fresh for each example that names them.
// Looked up by symbol (`Class.member`), then by source file, then by
// package; an example that declares the name itself keeps its own.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { Var, defineOp, param } from "@bitnet-quantize/autograd";
import { saveCheckpoint } from "@bitnet-quantize/autograd/checkpoint";
import { Linear, Module, ReLU, Sequential, buffer, mse } from "@bitnet-quantize/autograd/nn";
import { AdamW, SGD } from "@bitnet-quantize/autograd/optim";
import { generatorDraw } from "@bitnet-quantize/autograd/testing";
import {
  BigramQueue, BitLinear, BitNetAttention, BitNetConfig, BitNetDecoderLayer, BitNetMLP, BitNetModel, KVCache, type SpmTokenizer, absMeanTernary, packTernary, ropeTables, ropeTensors,
  trainTokenizer,
} from "@bitnet-quantize/bitnet";
import { BitNetAdapter, BitNetAdapterConfig, LoraBitLinear } from "@bitnet-quantize/bitnet/adapter";
import { encodeGguf } from "@bitnet-quantize/bitnet/gguf";
import { ByteLevelBpeTokenizer, byteToUnicode, exportHfCheckpoint, loadHfCheckpoint, parseSentencePieceModel } from "@bitnet-quantize/bitnet/hf";
import { DEFAULT_LM_CONFIG, LmTrainer, generateCorpus } from "@bitnet-quantize/cli";
import { GgufBuilder, parseGguf } from "@bitnet-quantize/gguf";
import { parseSafetensors, writeSafetensors } from "@bitnet-quantize/safetensors";
import { Brand, Generator, type Tensor, defaultCpuBackend, randn, tensor, zeros } from "@bitnet-quantize/tensor";
import { bitnetCppGguf } from "../../packages/bitnet/test/helpers/bitnet-cpp-gguf.js";
import { bitnet2b4tCheckpoint, tinyLlama3TokenizerJson } from "../../packages/bitnet/test/helpers/hf-checkpoints.js";
import { doctestGpu } from "./gpu.js";

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


/** A module with one buffer, `seen`. */
class Counter extends Module<Var, Var> {
  seen = buffer(zeros([1]));
  forward(x: Var): Var {
    return x;
  }
}

/** A model whose size is a constructor argument, for the checkpoint examples. */
class MyModel extends Module<Var, Var> {
  fc: Linear;
  constructor(dim = 4) {
    super();
    this.fc = new Linear(dim, 2, { seed: 1 });
  }
  forward(x: Var): Var {
    return this.fc.forward(x);
  }
}

/** The safetensors file the package's examples read: `x` (F32 [1, 2]) and `model.norm.weight` (BF16 [2560]), metadata format "pt". */
function safetensorsBytes(): Uint8Array {
  return writeSafetensors({
    tensors: { x: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }, "model.norm.weight": { dtype: "BF16", shape: [2560], data: new Uint16Array(2560).fill(0x3f80) } },
    metadata: { format: "pt" },
  });
}

/** A safetensors file of `count` one-value tensors (the examples' file of a real model states its tensor count). */
function manyTensorsSafetensors(count: number): Uint8Array {
  const tensors: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }> = {};
  for (let i = 0; i < count; i++) tensors[`t.${i}`] = { dtype: "F32", shape: [1], data: new Float32Array([i]) };
  tensors["model.norm.weight"] = { dtype: "F32", shape: [4], data: new Float32Array(4) };
  return writeSafetensors({ tensors, metadata: { format: "pt" } });
}

/** Writes `name` (relative to the doctests' scratch directory, parents made); returns `name`. */
function put(name: string, content: string | Uint8Array): string {
  mkdirSync(join(name, ".."), { recursive: true });
  writeFileSync(name, content);
  return name;
}

/** The bitnet model file the examples name "out/model.gguf" (written once). */
let modelGguf: Uint8Array | undefined;
function outModelGguf(): string {
  modelGguf ??= encodeGguf(new BitNetModel(modelConfig, { seed: 0 }), trainTokenizer(TEXT, 300), { type: "TQ2_0" });
  return put("out/model.gguf", modelGguf);
}

/** A small bitnet.cpp GGUF (arch bitnet-b1.58, I2_S projections, Llama 3 "gpt2" vocabulary, F16 token_embd as in the official file), built once with the importer tests' builder. */
let bitnetCpp: Uint8Array | undefined;
function bitnetCppBytes(): Uint8Array {
  if (bitnetCpp === undefined) {
    const { json, vocabSize } = tinyLlama3TokenizerJson();
    const d = { vocab: vocabSize, dim: 256, layers: 1, heads: 4, kvHeads: 1, ffn: 256 };
    bitnetCpp = bitnetCppGguf(loadHfCheckpoint({ ...bitnet2b4tCheckpoint(d, 9).files, tokenizerJson: json }), d, "bitnet-b1.58", "F16");
  }
  return bitnetCpp;
}

/** A checkpoint exported by the library, as the HF loader's input. */
function hfFiles(): { config: string; weights: ReturnType<typeof parseSafetensors>[]; tokenizerModel: Uint8Array } {
  const files = exportHfCheckpoint(new BitNetModel(modelConfig, { seed: 0 }), trainTokenizer(TEXT, 300)) as Record<string, string | Uint8Array>;
  return { config: files["config.json"] as string, weights: [parseSafetensors(files["model.safetensors"] as Uint8Array)], tokenizerModel: files["tokenizer.model"] as Uint8Array };
}

/** A small Fashion-MNIST-shaped dataset (784 features, 10 classes). */
function dataset(n: number): { x: Float32Array; y: Int32Array; n: number; features: number; classes: number } {
  const g = new Generator(3);
  return { x: Float32Array.from({ length: n * 784 }, () => g.nextFloat()), y: Int32Array.from({ length: n }, (_, i) => i % 10), n, features: 784, classes: 10 };
}

/** A command context that collects what a command prints. */
function commandContext(): { stdout: { write(t: string): boolean; isTTY: boolean }; stderr: { write(t: string): boolean }; cwd: string; program: string } {
  return { stdout: { write: () => true, isTTY: false }, stderr: { write: () => true }, cwd: process.cwd(), program: "bitnet" };
}

const common: Table = {
  fc: () => fc,
  cpu: () => defaultCpuBackend(),
  gen: () => new Generator(0),
  readFile: () => readFile,
  readFileSync: () => readFileSync,
  writeFile: () => writeFile,
  open: () => open,
  // WebGPU: the doctests' Dawn device (docs/doctest/gpu.ts); examples written for the browser see navigator.gpu.
  gpu: () => doctestGpu().backend,
  create: () => () => doctestGpu().gpu,
  navigator: () => ({ gpu: doctestGpu().gpu }),
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
  safetensors: {
    bytes: () => safetensorsBytes(),
    file: (get) => parseSafetensors(get("bytes") as Uint8Array),
    t: () => ({ dtype: "F32", shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }),
  },
  "backend-webgpu": {
    wgsl: () => "@group(0) @binding(0) var<storage, read_write> out: array<f32>;\n@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3<u32>) { out[id.x] = 1.0; }",
    a: () => randn([64, 64], { seed: 1 }).to(doctestGpu().backend),
    b: () => randn([64, 64], { seed: 2 }).to(doctestGpu().backend),
  },
  cli: {
    trainer: () => {
      const t = new LmTrainer(generateCorpus({ stories: 20, seed: 1 }), { ...DEFAULT_LM_CONFIG, steps: 2, dim: 32, layers: 1, heads: 2, kvHeads: 1, ffnDim: 64, context: 16, batch: 2, vocab: 300, evalIters: 1 });
      t.trainStep();
      return t;
    },
    train: () => dataset(128),
    test: () => dataset(100),
    model: () => new Sequential(new Linear(784, 16, { seed: 1 }), new ReLU(), new Linear(16, 10, { seed: 2 })),
    opt: (get) => new SGD((get("model") as Module<Var, Var>).parameters(), { lr: 0.1 }),
    ctx: () => commandContext(),
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
  // tensor
  "Brand.info": { brand: () => new Brand("@bitnet-quantize/tensor", "Tensor", "0.2.0") },
  "Brand.mark": { FOO_BRAND: () => new Brand("example", "Foo", "1.0.0"), Foo: () => class Foo {} },
  "Brand.is": { FOO_BRAND: () => new Brand("example", "Foo", "1.0.0"), Foo: (get) => markedFoo(get("FOO_BRAND") as Brand) },
  "Brand.hasInstance": { FOO_BRAND: () => new Brand("example", "Foo", "1.0.0"), Foo: (get) => markedFoo(get("FOO_BRAND") as Brand) },
  "Tensor.to": { x: () => randn([2, 3], { seed: 1 }) },
  tidy: {
    model: () => new Linear(2, 1, { seed: 1 }),
    opt: (get) => new SGD((get("model") as Linear).parameters(), { lr: 0.1 }),
    x: () => randn([4, 2], { seed: 2 }),
    y: () => randn([4, 1], { seed: 3 }),
  },
  // The packed ternary kernels: codes 0/1/2 = -1/0/+1, 16 per word, rows padded with code 1 (zero).
  TernaryMatmulArgs: { x: () => new Int8Array(256), xScale: () => Float32Array.of(1), w: () => new Uint32Array(16).fill(0x55555555), wScale: () => Float32Array.of(1) },
  ternaryMatmulReference: {
    x: () => Int8Array.of(1, 2, 3),
    xScale: () => Float32Array.of(1),
    words: () => Uint32Array.of(0x55555524), // t = [-1, 0, 1]
    wScale: () => Float32Array.of(1),
    out: () => new Float32Array(1),
  },
  ternaryMatmulCpu: {
    xCodes: () => Int8Array.from({ length: 16 }, (_, i) => i),
    xScale: () => Float32Array.of(1),
    words: () => Uint32Array.of(0x55555524),
    wScale: () => Float32Array.of(1),
    M: () => 1,
    N: () => 1,
    K: () => 16,
    out: () => new Float32Array(1),
  },
  // autograd
  Op: {
    squareOp: () =>
      defineOp<[Tensor], { x: Tensor }>({
        name: "square",
        forward: (ctx, x) => {
          ctx.save({ x });
          return x.mul(x);
        },
        backward: (ctx, g) => [ctx.needsGrad[0] === true ? g.mul(ctx.saved.x).mul(2) : null],
      }),
  },
  "Module.namedBuffers": { Counter: () => Counter },
  ParamOptimizerState: { m: () => zeros([2]), v: () => zeros([2]) },
  "Optimizer.loadStateDict": { saved: (get) => new SGD((get("model") as MLP).parameters(), { lr: 0.1 }).stateDict() },
  CHECKPOINT_FORMAT: { bytes: () => saveCheckpoint({ module: new MyModel() }) },
  readCheckpointConfig: { MyModel: () => MyModel, bytes: () => saveCheckpoint({ module: new MyModel(4), config: { dim: 4 } }) },
  loadCheckpoint: {
    MyModel: () => MyModel,
    bytes: () => {
      const model = new MyModel();
      return saveCheckpoint({ module: model, optimizer: new AdamW(model.parameters(), { lr: 1e-3 }), config: { step: 1 } });
    },
  },
  saveCheckpoint: { model: () => new MyModel(), opt: (get) => new AdamW((get("model") as MyModel).parameters(), { lr: 3e-3 }) },
  // safetensors: the examples' files on disk
  SafetensorsHeader: { first8PlusN: () => safetensorsBytes(), fileSize: () => safetensorsBytes().length },
  // bitnet
  SpmVocab: {
    bytes: () => Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, "0")}>`),
    scores: () => new Float32Array(261),
    types: () => Int32Array.from({ length: 261 }, (_, i) => (i === 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1)),
  },
  ropeInPlace: { q: () => new Float32Array(64).fill(1), tables: () => ropeTables(8, 64, 1e4) },
  TernaryProjection: { codes: () => Int8Array.of(1, 0, -1, 1, 0, 1, -1, 0) },
  GgufModelError: { bytesOfALlamaModel: () => new GgufBuilder().set("general.architecture", { type: "string", value: "llama" }).build() },
  writeSentencePieceModel: { spm: () => parseSentencePieceModel(hfFiles().tokenizerModel) },
  HfCheckpointFiles: {
    configText: () => hfFiles().config,
    bytes: () => exportHfCheckpoint(new BitNetModel(modelConfig, { seed: 0 }), trainTokenizer(TEXT, 300))["model.safetensors"],
    spmBytes: () => hfFiles().tokenizerModel,
  },
  HfTokenizer: { loaded: () => loadHfCheckpoint(hfFiles()) },
  LoadedHfCheckpoint: { files: () => hfFiles() },
  LoadHfOptions: { files: () => hfFiles(), bar: () => ({ update: () => undefined }) },
  loadHfCheckpoint: {
    config: () => hfFiles().config,
    bytes: () => exportHfCheckpoint(new BitNetModel(modelConfig, { seed: 0 }), trainTokenizer(TEXT, 300))["model.safetensors"],
    tokenizerModel: () => hfFiles().tokenizerModel,
  },
  HfCheckpointOutput: { files: () => exportHfCheckpoint(new BitNetModel(modelConfig, { seed: 0 }), trainTokenizer(TEXT, 300)) },
  convertHfToGguf: { files: () => hfFiles(), ids: () => [1, 5, 9] },
  writeFileAtomic: { bytes: () => new Uint8Array([1, 2, 3]) },
  exportGguf: { tokenizer: () => trainTokenizer(TEXT, 300) },
  // A two-layer model's file (the example states config.layers).
  validateModelMetadata: { bytes: () => encodeGguf(new BitNetModel({ ...modelConfig, layers: 2 }, { seed: 0 }), trainTokenizer(TEXT, 300), { type: "F32" }) },
  // The example passes Dawn's GPU object itself.
  TernaryKernel: { gpu: () => doctestGpu().gpu },
  // The bytes of a bitnet.cpp file.
  ImportedBitnetCppGguf: { bitnetCppBytes: () => bitnetCppBytes() },
  // the inference engine's pieces: a small model, packed codes, a cache's key/value rows
  createTernaryPool: { model: () => new BitNetModel(modelConfig, { seed: 0 }), ids: () => [1, 5, 9] },
  PackedWeights: { codes: () => tensor([[1, 0, -1, 1], [0, 1, 1, -1]], undefined, "int8") },
  "BitLinear.fromPacked": { codes: () => randTernaryCodes(8, 16) },
  "BitLinear.loadPacked": { packed: () => packTernary(randTernaryCodes(8, 16)), scales: () => tensor([[0.5]]).expand([8, 1]) },
  "KVCache.write": { cache: () => new KVCache(1, 4, 8), k: () => new Float32Array(8).fill(0.5), v: () => new Float32Array(8).fill(-0.5) },
  ffnActivation: { gate: () => tensor([[-1, 0, 2]]), up: () => tensor([[1, 1, 1]]) },
  "BitNetModel.generateAsync": { model: () => new BitNetModel(modelConfig, { seed: 0 }), prompt: () => [1, 5, 9], gpu: () => doctestGpu().backend },
  packedProjection: {
    bytes: () => encodeGguf(new BitNetModel(modelConfig, { seed: 0 }), trainTokenizer(TEXT, 300), { type: "TQ2_0" }),
    file: (get) => parseGguf(get("bytes") as Uint8Array),
  },
  // cli
  convertCommand: { ctx: () => commandContext() },
  generateCommand: { ctx: () => commandContext() },
  inspectCommand: { ctx: () => commandContext() },
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

/**
 * The files an example reads, written (relative to the doctests' scratch
 * directory, its working directory) before it runs. Where the example states
 * a real model's tensor count, the file has that many tensors.
 */
const files: Record<string, () => void> = {
  fileHandleSource: () => put("model.gguf", readFileSync(outModelGguf())),
  readGgufHeaderFromFile: () => put("model.gguf", ggufWithTensors(291)),
  readSafetensorsFile: () => put("model.safetensors", manyTensorsSafetensors(331)),
  OpenSafetensorsFile: () => put("model-00001-of-00002.safetensors", safetensorsBytes()),
  openSafetensorsFile: () => put("big.safetensors", manyTensorsSafetensors(290)),
  importGguf: () => outModelGguf(),
  importBitnetCppGguf: () => put("ggml-model-i2_s.gguf", bitnetCppBytes()),
  ByteLevelBpeTokenizer: () => put("tokenizer.json", llama3TokenizerJson()),
  parseSentencePieceModel: () => put("tokenizer.model", hfFiles().tokenizerModel),
  readHfDirectory: () => checkpointFolder("bitnet_b1_58-large"),
  loadHfDirectory: () => checkpointFolder("bitnet-b1.58-2B-4T"),
  convertHfDirectoryToGguf: () => checkpointFolder("bitnet_b1_58-large"),
  writeFileAtomic: () => mkdirSync("out", { recursive: true }),
  exportGguf: () => mkdirSync("out", { recursive: true }),
  convertCommand: () => checkpointFolder("bitnet_b1_58-large"),
  generateCommand: () => outModelGguf(),
  inspectCommand: () => outModelGguf(),
};

/** An [n, k] int8 tensor of ternary codes (-1, 0, +1), deterministic. */
function randTernaryCodes(n: number, k: number): Tensor<"int8"> {
  const g = new Generator(5);
  return tensor(Array.from({ length: n }, () => Array.from({ length: k }, () => Math.floor(g.nextFloat() * 3) - 1)), undefined, "int8");
}

/** A Foo class marked with `brand`. */
function markedFoo(brand: Brand): new () => object {
  class Foo {}
  brand.mark(Foo);
  return Foo;
}

/** A GGUF file of `count` small F32 tensors (header-only readers' examples state a real model's count). */
function ggufWithTensors(count: number): Uint8Array {
  const b = new GgufBuilder().set("general.architecture", { type: "string", value: "bitnet" });
  for (let i = 0; i < count; i++) b.addTensor({ name: `t.${i}`, shape: [4], type: "F32", values: new Float32Array(4) });
  return b.build();
}

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
  files[e.symbol]?.();
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
