// GGUF import of bitnet.cpp's files: architectures `bitnet-b1.58` and `bitnet-25` (what BitNet's
// converters write for bitnet-b1.58-2B-4T: relu² FFN, I2_S or float projections, Llama 3 BPE
// vocabulary as tokenizer.ggml.model "gpt2"). llama.cpp's own `bitnet` files are importGguf's.
import { noGrad } from "@bitnet-quantize/autograd";
import { type BytesLike, type GgufFile, type GgufValue, dequantize, parseGguf, toBytes } from "@bitnet-quantize/gguf";
import { tensor } from "@bitnet-quantize/tensor";
import { BitLinear } from "../bit-linear.js";
import { BitNetConfig } from "../config.js";
import { ByteLevelBpeTokenizer, LLAMA3_PATTERN } from "../hf/byte-level-bpe.js";
import { ternaryLatentWeight } from "../hf/ternary-latent.js";
import { BitNetModel } from "../model/bitnet-model.js";
import type { BitNetModelConfig } from "../model/model-config.js";
import { TOKEN_TYPE } from "../tokenizer/token-type.js";
import { GgufModelError, NORMS, PROJECTIONS } from "./gguf-names.js";

/**
 * The architectures {@link importBitnetCppGguf} reads.
 *
 * @example
 * ```ts
 * BITNET_CPP_ARCHS.includes("bitnet-b1.58"); // true
 * ```
 */
export const BITNET_CPP_ARCHS: readonly string[] = ["bitnet-b1.58", "bitnet-25"];

/**
 * What {@link importBitnetCppGguf} returns.
 *
 * @example
 * ```ts
 * const { model, tokenizer } = importBitnetCppGguf(bitnetCppBytes); // bitnetCppBytes: a bitnet.cpp file (arch bitnet-b1.58 or bitnet-25)
 * ```
 */
export interface ImportedBitnetCppGguf {
  readonly model: BitNetModel;
  readonly tokenizer: ByteLevelBpeTokenizer;
  readonly file: GgufFile;
}

/**
 * Loads a bitnet.cpp GGUF (`bitnet-b1.58` or `bitnet-25`, e.g. the official
 * bitnet-b1.58-2B-4T-gguf) into a {@link BitNetModel} with the relu² FFN, and its Llama 3
 * byte-level BPE tokenizer (`tokenizer.ggml.model` "gpt2", pre-tokenizer llama-bpe).
 * Projections may be I2_S (type 36: one f32 scale per tensor, 128-element blocks — the
 * default x86 / Python-converter layout) or any type the gguf package decodes, as long as
 * they decode to ternary values with one magnitude; `token_embd` any decodable type
 * (the official file's is F16). The output head is tied to `token_embd`.
 *
 * @throws GgufModelError naming the key or tensor that is missing, mistyped or not ternary.
 * @example
 * ```ts
 * const { model, tokenizer } = importBitnetCppGguf(readFileSync("ggml-model-i2_s.gguf"));
 * tokenizer.decode(model.generate(tokenizer.encode("Hello"), { maxTokens: 8 }));
 * ```
 */
export function importBitnetCppGguf(input: BytesLike): ImportedBitnetCppGguf {
  const bytes = toBytes(input, "importBitnetCppGguf");
  const file = parseGguf(bytes);
  const meta = file.metadata;
  const archValue = meta.get("general.architecture");
  const arch = archValue?.type === "string" ? archValue.value : undefined;
  if (arch === undefined || !BITNET_CPP_ARCHS.includes(arch)) {
    throw new GgufModelError(`importBitnetCppGguf: general.architecture is ${arch === undefined ? "missing" : JSON.stringify(arch)}; this reads ${BITNET_CPP_ARCHS.map((a) => `"${a}"`).join(" and ")} files (use importGguf for "bitnet")`);
  }
  const int = (key: string, fallback?: number): number => {
    const v = meta.get(key);
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      throw new GgufModelError(`importBitnetCppGguf: the required key ${key} is missing`);
    }
    if (typeof v.value === "number" || typeof v.value === "bigint") return Number(v.value);
    throw new GgufModelError(`importBitnetCppGguf: ${key} is a ${v.type}, expected an integer`);
  };
  const float = (key: string, fallback: number): number => {
    const v = meta.get(key);
    if (v === undefined) return fallback;
    if (typeof v.value !== "number") throw new GgufModelError(`importBitnetCppGguf: ${key} is a ${v.type}, expected a number`);
    return v.value;
  };
  const tokenizer = readBpeTokenizer(meta);
  const heads = int(`${arch}.attention.head_count`);
  const config: BitNetModelConfig = {
    vocabSize: int(`${arch}.vocab_size`, tokenizer.vocabSize),
    dim: int(`${arch}.embedding_length`),
    layers: int(`${arch}.block_count`),
    heads,
    kvHeads: int(`${arch}.attention.head_count_kv`, heads),
    ffnDim: int(`${arch}.feed_forward_length`),
    contextLength: int(`${arch}.context_length`),
    ropeTheta: float(`${arch}.rope.freq_base`, 10000),
    normEps: float(`${arch}.attention.layer_norm_rms_epsilon`, 1e-5),
    hiddenActivation: "relu2",
  };
  const rot = meta.get(`${arch}.rope.dimension_count`);
  if (rot !== undefined && Number(rot.value) !== config.dim / config.heads) {
    throw new GgufModelError(`importBitnetCppGguf: ${arch}.rope.dimension_count ${rot.type === "array" ? `(an array of ${rot.itemType})` : String(rot.value)} differs from the head size ${config.dim / config.heads}; partial RoPE is not supported`);
  }
  const quant = BitNetConfig.default();
  const model = new BitNetModel(config, { quant });
  const used = new Set<string>();
  const read = (name: string, shape: readonly number[]): Float32Array => {
    const info = file.tensors.find((t) => t.name === name);
    if (info === undefined) throw new GgufModelError(`importBitnetCppGguf: tensor ${name} is missing`);
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new GgufModelError(`importBitnetCppGguf: tensor ${name} has shape [${info.shape.join(", ")}], expected [${shape.join(", ")}]`);
    }
    used.add(name);
    try {
      return dequantize(file, bytes, name);
    } catch (e) {
      throw new GgufModelError(`importBitnetCppGguf: tensor ${name} is ${info.type}, which cannot be decoded (${e instanceof Error ? e.message : String(e)})`);
    }
  };
  const c = config;
  noGrad(() => {
    model.embed_tokens.weight.value = tensor(read("token_embd.weight", [c.vocabSize, c.dim]), [c.vocabSize, c.dim]);
    model.getParameter("norm.weight").value = tensor(read("output_norm.weight", [c.dim]), [c.dim]);
    model.layers.forEach((layer, i) => {
      for (const [gname, path] of NORMS) {
        const n = gname === "ffn_sub_norm" ? c.ffnDim : c.dim;
        layer.getParameter(path).value = tensor(read(`blk.${i}.${gname}.weight`, [n]), [n]);
      }
      for (const [gname, path] of PROJECTIONS) {
        const sub = layer.getSubmodule(path);
        if (!(sub instanceof BitLinear)) throw new GgufModelError(`importBitnetCppGguf: layers.${i}.${path} is not a BitLinear`);
        const name = `blk.${i}.${gname}.weight`;
        const values = read(name, [sub.outFeatures, sub.inFeatures]);
        const { codes, magnitude } = ternaryOf(name, values);
        sub.weight.value = tensor(ternaryLatentWeight(codes, magnitude, quant, name), [sub.outFeatures, sub.inFeatures]);
      }
    });
  });
  const extra = file.tensors.filter((t) => !used.has(t.name)).map((t) => t.name);
  if (extra.length > 0) throw new GgufModelError(`importBitnetCppGguf: unexpected tensors ${extra.slice(0, 8).join(", ")} (the output head is tied to token_embd; TL1/TL2 scale tensors are not supported)`);
  return { model, tokenizer, file };
}

function ternaryOf(name: string, values: Float32Array): { codes: Int8Array; magnitude: number } {
  const codes = new Int8Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 0) continue;
    const a = Math.abs(v);
    if (m === 0) m = a;
    else if (a !== m) throw new GgufModelError(`importBitnetCppGguf: ${name} is not ternary with one scale (magnitudes ${m} and ${a})`);
    codes[i] = v > 0 ? 1 : -1;
  }
  return { codes, magnitude: m };
}

function readBpeTokenizer(meta: ReadonlyMap<string, GgufValue>): ByteLevelBpeTokenizer {
  const model = meta.get("tokenizer.ggml.model");
  if (model?.type !== "string" || model.value !== "gpt2") {
    throw new GgufModelError(`importBitnetCppGguf: tokenizer.ggml.model is ${model === undefined ? "missing" : JSON.stringify(model.value)}; bitnet.cpp files carry a "gpt2" (byte-level BPE) vocabulary`);
  }
  const pre = meta.get("tokenizer.ggml.pre");
  const preName = pre?.type === "string" ? pre.value : "default";
  if (!["llama-bpe", "llama3", "llama-v3", "default"].includes(preName)) {
    throw new GgufModelError(`importBitnetCppGguf: tokenizer.ggml.pre "${preName}" is not supported (only the Llama 3 pre-tokenizer)`);
  }
  const strings = (key: string): string[] => {
    const v = meta.get(key);
    if (v?.type !== "array" || v.itemType !== "string") throw new GgufModelError(`importBitnetCppGguf: ${key} must be an array of strings`);
    return Array.from(v.value as ArrayLike<string>);
  };
  const tokens = strings("tokenizer.ggml.tokens");
  const merges = strings("tokenizer.ggml.merges").map((m, i): [string, string] => {
    const sp = m.indexOf(" ", 1);
    if (sp < 0) throw new GgufModelError(`importBitnetCppGguf: merge ${i} ${JSON.stringify(m)} has no space`);
    return [m.slice(0, sp), m.slice(sp + 1)];
  });
  const tt = meta.get("tokenizer.ggml.token_type");
  const types = tt?.type === "array" ? Array.from(tt.value as ArrayLike<number>, Number) : new Array<number>(tokens.length).fill(TOKEN_TYPE.normal);
  if (types.length !== tokens.length) throw new GgufModelError(`importBitnetCppGguf: tokenizer.ggml.token_type has ${types.length} entries for ${tokens.length} tokens`);
  const vocab = new Map<string, number>();
  const added: { id: number; content: string; special: boolean }[] = [];
  tokens.forEach((t, id) => {
    if (types[id] === TOKEN_TYPE.control || types[id] === TOKEN_TYPE.userDefined) added.push({ id, content: t, special: types[id] === TOKEN_TYPE.control });
    else vocab.set(t, id);
  });
  const id = (key: string, fallback: number): number => {
    const v = meta.get(key);
    return v !== undefined && (typeof v.value === "number" || typeof v.value === "bigint") && Number(v.value) < tokens.length ? Number(v.value) : fallback;
  };
  const addBos = meta.get("tokenizer.ggml.add_bos_token");
  try {
    return new ByteLevelBpeTokenizer({
      vocab,
      merges,
      added,
      pattern: LLAMA3_PATTERN,
      ignoreMerges: true,
      bosId: id("tokenizer.ggml.bos_token_id", 128000),
      eosId: id("tokenizer.ggml.eos_token_id", 128001),
      addBos: addBos?.type === "bool" ? addBos.value : true,
    });
  } catch (e) {
    throw new GgufModelError(`importBitnetCppGguf: ${e instanceof Error ? e.message : String(e)}`);
  }
}
