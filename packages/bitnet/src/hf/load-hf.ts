// Loading a Hugging Face BitNet checkpoint (config.json, safetensors, tokenizer files) into
// BitNetModel, from bytes and parsed files: browser-safe. Paths and shard indexes are in ./node.ts.
import { noGrad } from "@bitnet-quantize/autograd";
import { type SafetensorsFile, type SafetensorsTensorInfo, tensorArray, tensorToFloat32 } from "@bitnet-quantize/safetensors";
import { tensor } from "@bitnet-quantize/tensor";
import { BitLinear } from "../bit-linear.js";
import { BitNetConfig } from "../config.js";
import { BitNetModel } from "../model/bitnet-model.js";
import { SpmTokenizer } from "../tokenizer/spm-tokenizer.js";
import { TOKEN_TYPE } from "../tokenizer/token-type.js";
import { ByteLevelBpeTokenizer } from "./byte-level-bpe.js";
import { type HfConfig, type HfLayout, readHfConfig } from "./hf-config.js";
import { HfCheckpointError } from "./hf-error.js";
import { unpackHfTernary } from "./packed-ternary.js";
import { parseSentencePieceModel } from "./sentencepiece-model.js";
import { ternaryLatentWeight } from "./ternary-latent.js";

/**
 * The files of a checkpoint directory, already read: config.json, the parsed
 * safetensors file(s) (one, or every shard), and the tokenizer files present.
 *
 * @example
 * ```ts
 * const files: HfCheckpointFiles = { config: configText, weights: [parseSafetensors(bytes)], tokenizerModel: spmBytes };
 * ```
 */
export interface HfCheckpointFiles {
  readonly config: string | Readonly<Record<string, unknown>>;
  readonly weights: readonly SafetensorsFile[];
  /** SentencePiece `tokenizer.model` (1bitLLM). */
  readonly tokenizerModel?: Uint8Array;
  /** `tokenizer.json` (2B-4T's Llama 3 BPE). */
  readonly tokenizerJson?: string;
  /** `tokenizer_config.json` (added_tokens_decoder, eos_token). */
  readonly tokenizerConfig?: string;
  /** `added_tokens.json` (extra SPM tokens). */
  readonly addedTokens?: string;
}

/**
 * Either tokenizer a checkpoint can carry.
 *
 * @example
 * ```ts
 * const ids = (loaded.tokenizer as HfTokenizer).encode("hello");
 * ```
 */
export type HfTokenizer = SpmTokenizer | ByteLevelBpeTokenizer;

/**
 * What {@link loadHfCheckpoint} returns.
 *
 * @example
 * ```ts
 * const { model, tokenizer, layout } = loadHfCheckpoint(files);
 * ```
 */
export interface LoadedHfCheckpoint {
  readonly model: BitNetModel;
  readonly tokenizer: HfTokenizer | undefined;
  readonly layout: HfLayout;
  readonly config: HfConfig;
}

/**
 * Options of {@link loadHfCheckpoint}.
 *
 * @example
 * ```ts
 * loadHfCheckpoint(files, { onProgress: (done, total) => bar.update(done / total) });
 * ```
 */
export interface LoadHfOptions {
  /** Called after each tensor is loaded. */
  readonly onProgress?: (done: number, total: number, name: string) => void;
  /** The quantizer settings of the model (default `BitNetConfig.default()`). */
  readonly quant?: BitNetConfig;
}

const PROJ = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"] as const;

/** HF norm names per layout → the model's parameter path inside a layer. */
function layerNorms(layout: HfLayout): readonly (readonly [string, string])[] {
  return [
    ["input_layernorm.weight", "input_layernorm.weight"],
    ["post_attention_layernorm.weight", "post_attention_layernorm.weight"],
    [layout === "1bitllm" ? "self_attn.inner_attn_ln.weight" : "self_attn.attn_sub_norm.weight", "self_attn.attn_sub_norm.weight"],
    [layout === "1bitllm" ? "mlp.ffn_layernorm.weight" : "mlp.ffn_sub_norm.weight", "mlp.ffn_sub_norm.weight"],
  ];
}

/**
 * Loads a Hugging Face BitNet checkpoint into a {@link BitNetModel} plus its tokenizer,
 * in either published layout (see {@link HfLayout}; detected from the tensors: U8
 * projections with `weight_scale`, or the `attn_sub_norm` names, are 2B-4T). Float
 * projections (1bitLLM's latent weights, 2B-4T's `-bf16` master weights; F32/F16/BF16)
 * become the BitLinear latent weights as they are; packed weights are
 * unpacked (four stacked quarters of rows) and become latent weights whose AbsMean gives
 * back exactly the codes and the scale (1/weight_scale for `bitlinear`, weight_scale for
 * `autobitlinear`). Tensors the model does not use (rotary `inv_freq` buffers) are ignored;
 * anything else unexpected, or a missing tensor, or a wrong shape, is an error. An
 * `lm_head.weight` is accepted only when it equals the embedding (the model ties them).
 *
 * @throws HfCheckpointError naming the file, key or tensor.
 * @example
 * ```ts
 * const { model, tokenizer } = loadHfCheckpoint({ config, weights: [parseSafetensors(bytes)], tokenizerModel });
 * model.logits(tokenizer!.encode("hello"));
 * ```
 */
export function loadHfCheckpoint(files: HfCheckpointFiles, opts: LoadHfOptions = {}): LoadedHfCheckpoint {
  const config = readHfConfig(files.config);
  const c = config.model;
  const byName = new Map<string, { file: SafetensorsFile; info: SafetensorsTensorInfo }>();
  for (const file of files.weights) {
    for (const info of file.tensors) {
      if (byName.has(info.name)) throw new HfCheckpointError(`tensor ${info.name} appears in more than one safetensors file`);
      byName.set(info.name, { file, info });
    }
  }
  const q0 = byName.get("model.layers.0.self_attn.q_proj.weight");
  // Packed U8 projections, or the 2B-4T norm names (its -bf16 master-weight repo has dense BF16 projections).
  const layout: HfLayout =
    q0?.info.dtype === "U8" || byName.has("model.layers.0.self_attn.q_proj.weight_scale") || byName.has("model.layers.0.self_attn.attn_sub_norm.weight")
      ? "bitnet-2b4t"
      : "1bitllm";
  const quant = opts.quant ?? BitNetConfig.default();
  const model = new BitNetModel(c, { quant });
  const used = new Set<string>();
  const get = (name: string): { file: SafetensorsFile; info: SafetensorsTensorInfo } => {
    const t = byName.get(name);
    if (t === undefined) throw new HfCheckpointError(`tensor ${name} is missing (layout ${layout})`);
    used.add(name);
    return t;
  };
  const floats = (name: string, shape: readonly number[]): Float32Array => {
    const { file, info } = get(name);
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new HfCheckpointError(`tensor ${name} has shape [${info.shape.join(", ")}], expected [${shape.join(", ")}]`);
    }
    if (info.dtype !== "F32" && info.dtype !== "F16" && info.dtype !== "BF16") throw new HfCheckpointError(`tensor ${name} is ${info.dtype}; expected F32, F16 or BF16`);
    // F32 comes back as a view of the file: copy it so the model never aliases the file's bytes.
    const values = tensorToFloat32(file, info);
    return info.dtype === "F32" ? Float32Array.from(values) : values;
  };
  const total = 3 + c.layers * (4 + PROJ.length);
  let done = 0;
  const progress = (name: string): void => opts.onProgress?.(++done, total, name);

  noGrad(() => {
    model.embed_tokens.weight.value = tensor(floats("model.embed_tokens.weight", [c.vocabSize, c.dim]), [c.vocabSize, c.dim]);
    progress("model.embed_tokens.weight");
    model.getParameter("norm.weight").value = tensor(floats("model.norm.weight", [c.dim]), [c.dim]);
    progress("model.norm.weight");
    model.layers.forEach((layer, i) => {
      const prefix = `model.layers.${i}`;
      for (const [hf, path] of layerNorms(layout)) {
        const n = path.startsWith("mlp.") ? c.ffnDim : c.dim;
        layer.getParameter(path).value = tensor(floats(`${prefix}.${hf}`, [n]), [n]);
        progress(`${prefix}.${hf}`);
      }
      for (const path of PROJ) {
        const sub = layer.getSubmodule(path);
        if (!(sub instanceof BitLinear)) throw new HfCheckpointError(`layers.${i}.${path} is not a BitLinear`);
        const name = `${prefix}.${path}.weight`;
        const shape = [sub.outFeatures, sub.inFeatures];
        let W: Float32Array;
        if (byName.get(name)?.info.dtype !== "U8") W = floats(name, shape);
        else {
          const { file, info } = get(name);
          const packedShape = [Math.ceil(sub.outFeatures / 4), sub.inFeatures];
          if (info.dtype !== "U8" || info.shape.length !== 2 || info.shape[0] !== packedShape[0] || info.shape[1] !== packedShape[1]) {
            throw new HfCheckpointError(`tensor ${name} is ${info.dtype} [${info.shape.join(", ")}]; the 2B-4T layout packs it as U8 [${packedShape.join(", ")}]`);
          }
          const codes = unpackHfTernary(tensorArray(file, info) as Uint8Array, sub.outFeatures, sub.inFeatures, name);
          const ws = floatsAny(get(`${name}_scale`), `${name}_scale`);
          if (ws.length !== 1) throw new HfCheckpointError(`tensor ${name}_scale has ${ws.length} values; expected one per-tensor scale`);
          const scale = config.weightScaleMultiplies ? ws[0] : 1 / ws[0];
          W = ternaryLatentWeight(codes, scale, quant, name);
        }
        sub.weight.value = tensor(W, shape);
        progress(name);
      }
    });
  });
  const head = byName.get("lm_head.weight");
  if (head !== undefined) {
    const lm = floats("lm_head.weight", [c.vocabSize, c.dim]);
    const emb = model.embed_tokens.weight.value.dataSync();
    for (let i = 0; i < lm.length; i++) {
      if (lm[i] !== emb[i]) throw new HfCheckpointError("lm_head.weight differs from model.embed_tokens.weight; BitNetModel ties the output head to the embedding (untied heads are not supported)");
    }
  }
  progress(head === undefined ? "(output head tied to the embedding)" : "lm_head.weight");
  const extra = [...byName.keys()].filter((n) => !used.has(n) && !/\.rotary_emb\.inv_freq$/.test(n));
  if (extra.length > 0) throw new HfCheckpointError(`unexpected tensors for the ${layout} layout: ${extra.slice(0, 8).join(", ")}${extra.length > 8 ? ` and ${extra.length - 8} more` : ""}`);
  return { model, tokenizer: readTokenizer(files, config, layout), layout, config };
}

function floatsAny(t: { file: SafetensorsFile; info: SafetensorsTensorInfo }, name: string): Float32Array {
  try {
    return tensorToFloat32(t.file, t.info);
  } catch (e) {
    throw new HfCheckpointError(`tensor ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseJson(text: string, file: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
    return v as Record<string, unknown>;
  } catch (e) {
    throw new HfCheckpointError(`${file} is not a JSON object (${(e as Error).message})`);
  }
}

function tokenName(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof (v as Record<string, unknown>)["content"] === "string") return (v as Record<string, string>)["content"];
  return undefined;
}

function readTokenizer(files: HfCheckpointFiles, config: HfConfig, layout: HfLayout): HfTokenizer | undefined {
  const tcfg = files.tokenizerConfig === undefined ? {} : parseJson(files.tokenizerConfig, "tokenizer_config.json");
  if (files.tokenizerModel !== undefined) return spmTokenizer(files, files.tokenizerModel, config, tcfg);
  if (files.tokenizerJson !== undefined) {
    const eos = tokenName(tcfg["eos_token"]);
    const bos = tokenName(tcfg["bos_token"]);
    const tok = ByteLevelBpeTokenizer.fromJson(files.tokenizerJson, { ...(eos === undefined ? {} : { eosToken: eos }), ...(bos === undefined ? {} : { bosToken: bos }) });
    if (tok.vocabSize > config.model.vocabSize) throw new HfCheckpointError(`tokenizer.json has ${tok.vocabSize} ids but config.json vocab_size is ${config.model.vocabSize}`);
    return tok;
  }
  void layout;
  return undefined;
}

/** llama.cpp's converter's `does_token_look_special`. */
function looksSpecial(t: string): boolean {
  return (
    ["<pad>", "<mask>", "<2mass>", "[@BOS@]"].includes(t) ||
    (t.startsWith("<|") && t.endsWith("|>")) ||
    (t.startsWith("<\uff5c") && t.endsWith("\uff5c>")) ||
    t.startsWith("<start_of_") ||
    t.startsWith("<end_of_")
  );
}

/**
 * The SPM vocabulary as llama.cpp's converter builds it (`_create_vocab_sentencepiece`):
 * the pieces of tokenizer.model, then `[PAD{i}]` (score −10000, type unused) up to the
 * config's vocab_size; added_tokens.json entries become user-defined, added_tokens_decoder
 * entries control (special) or user-defined, score −1000.
 */
function spmTokenizer(files: HfCheckpointFiles, tokenizerModel: Uint8Array, config: HfConfig, tcfg: Record<string, unknown>): SpmTokenizer {
  const spm = parseSentencePieceModel(tokenizerModel);
  const V = config.model.vocabSize;
  if (spm.pieces.length > V) throw new HfCheckpointError(`tokenizer.model has ${spm.pieces.length} pieces but config.json vocab_size is ${V}`);
  const tokens = [...spm.pieces];
  const scores = [...spm.scores];
  const types = [...spm.types];
  for (let i = tokens.length; i < V; i++) {
    tokens.push(`[PAD${i}]`);
    scores.push(-10000);
    types.push(TOKEN_TYPE.unused);
  }
  // added_tokens.json: ids inside the vocabulary become user-defined (the converter skips the others).
  if (files.addedTokens !== undefined) {
    for (const [content, raw] of Object.entries(parseJson(files.addedTokens, "added_tokens.json"))) {
      const id = Number(raw);
      if (!Number.isInteger(id) || id < 0 || id >= V) continue;
      tokens[id] = content;
      scores[id] = -1000;
      types[id] = TOKEN_TYPE.userDefined;
    }
  }
  // added_tokens_decoder: control when special (or looking special), else user-defined with ▁ as a space.
  const decoder = tcfg["added_tokens_decoder"];
  if (typeof decoder === "object" && decoder !== null) {
    for (const [key, t] of Object.entries(decoder as Record<string, unknown>)) {
      const id = Number(key);
      const content = tokenName(t);
      if (content === undefined) continue;
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new HfCheckpointError(`tokenizer_config.json: added token ${JSON.stringify(content)} has id ${key}, outside the vocabulary 0..${V - 1}`);
      const special = (t as Record<string, unknown>)["special"] === true || looksSpecial(content);
      tokens[id] = special ? content : content.replaceAll("\u2581", " ");
      scores[id] = -1000;
      types[id] = special ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined;
    }
  }
  const id = (key: string, fallback: number): number => {
    const v = config.raw[key];
    return typeof v === "number" && Number.isInteger(v) && v >= 0 && v < V ? v : fallback;
  };
  return new SpmTokenizer({
    tokens,
    scores,
    types,
    bosId: id("bos_token_id", spm.bosId >= 0 ? spm.bosId : 1),
    eosId: id("eos_token_id", spm.eosId >= 0 ? spm.eosId : 2),
    unkId: spm.unkId >= 0 ? spm.unkId : 0,
    addBos: tcfg["add_bos_token"] !== false,
    addEos: tcfg["add_eos_token"] === true,
    addSpacePrefix: spm.addDummyPrefix,
  });
}
