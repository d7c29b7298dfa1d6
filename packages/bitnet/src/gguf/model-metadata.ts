// Validation of a `bitnet` GGUF's model metadata before anything is allocated:
// every size the file states (layers, dims, heads, context, vocabulary, tensor
// counts) is checked for its type and range, against caps, and against the
// tensors actually present (names and shapes). Wrong types and out-of-range
// values are GgufModelErrors, never defaults. Builds nothing.
import type { GgufFile, GgufValue } from "@bitnet-quantize/gguf";
import type { BitNetModelConfig, HiddenActivation } from "../model/model-config.js";
import type { SpmVocab } from "../tokenizer/spm-tokenizer.js";
import { TOKEN_TYPE } from "../tokenizer/token-type.js";
import { ARCH, GgufModelError, NORMS, PROJECTIONS } from "./gguf-names.js";

/**
 * Caps on the sizes a file may state (beyond the check against its tensors).
 *
 * @example
 * ```ts
 * MODEL_CAPS.contextLength; // 131072
 * ```
 */
export const MODEL_CAPS = {
  /** Layers (llama.cpp allows 512). */
  layers: 512,
  /** Context length (131,072): RoPE tables of contextLength x headDim floats are built from it at load. */
  contextLength: 1 << 17,
  /** Elements of one RoPE table (contextLength x headDim / 2): 2^23, 32 MiB per table. */
  ropeElements: 1 << 23,
  /** Vocabulary entries. */
  vocabulary: 1 << 22,
  /** Attention heads. */
  heads: 4096,
} as const;

/**
 * What {@link validateModelMetadata} returns: a model configuration and
 * tokenizer options that are safe to build from.
 *
 * @example
 * ```ts
 * const { config, tokenizer } = validateModelMetadata(parseGguf(bytes));
 * new SpmTokenizer(tokenizer);
 * ```
 */
export interface ValidatedModelMetadata {
  readonly config: BitNetModelConfig;
  readonly tokenizer: SpmVocab;
}

const INTEGER_TYPES = new Set(["u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64"]);

function describe(v: GgufValue): string {
  return v.type === "array" ? `an array of ${v.itemType}` : `a ${v.type}`;
}

/** An integer key (a scalar, or an array with one value for every layer) in [min, max]. */
function intKey(meta: ReadonlyMap<string, GgufValue>, key: string, min: number, max: number, fallback?: number): number {
  const v = meta.get(key);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new GgufModelError(`importGguf: the required key ${key} is missing`);
  }
  let n: number | bigint;
  if (v.type === "array") {
    if (!INTEGER_TYPES.has(v.itemType)) throw new GgufModelError(`importGguf: ${key} is ${describe(v)}, expected an integer`);
    const vals = Array.from(v.value as ArrayLike<number | bigint>);
    const first = vals[0];
    if (first === undefined) throw new GgufModelError(`importGguf: ${key} is an empty array, expected an integer`);
    if (!vals.every((x) => x === first)) {
      throw new GgufModelError(`importGguf: ${key} differs between layers (${vals.slice(0, 8).join(", ")}${vals.length > 8 ? ", ..." : ""}); BitNetModel needs one value`);
    }
    n = first;
  } else {
    if (!INTEGER_TYPES.has(v.type)) throw new GgufModelError(`importGguf: ${key} is ${describe(v)}, expected an integer type (u8..u64, i8..i64)`);
    n = v.value as number | bigint;
  }
  const num = Number(n);
  if (!Number.isSafeInteger(num) || num < min || num > max) {
    throw new GgufModelError(`importGguf: ${key} is ${String(n)}, expected an integer in [${min}, ${max}]`);
  }
  return num;
}

/** A float key (f32 or f64), finite and positive. */
function positiveFloatKey(meta: ReadonlyMap<string, GgufValue>, key: string, fallback?: number): number {
  const v = meta.get(key);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new GgufModelError(`importGguf: the required key ${key} is missing`);
  }
  if (v.type !== "f32" && v.type !== "f64") throw new GgufModelError(`importGguf: ${key} is ${describe(v)}, expected f32 or f64`);
  if (!Number.isFinite(v.value) || !(v.value > 0)) throw new GgufModelError(`importGguf: ${key} is ${v.value}, expected a positive finite number`);
  return v.value;
}

function boolKey(meta: ReadonlyMap<string, GgufValue>, key: string, fallback: boolean): boolean {
  const v = meta.get(key);
  if (v === undefined) return fallback;
  if (v.type !== "bool") throw new GgufModelError(`importGguf: ${key} is ${describe(v)}, expected a bool`);
  return v.value;
}

function stringKey(meta: ReadonlyMap<string, GgufValue>, key: string): string | undefined {
  const v = meta.get(key);
  if (v === undefined) return undefined;
  if (v.type !== "string") throw new GgufModelError(`importGguf: ${key} is ${describe(v)}, expected a string`);
  return v.value;
}

function tokenizerOptions(meta: ReadonlyMap<string, GgufValue>): SpmVocab {
  const model = stringKey(meta, "tokenizer.ggml.model");
  if (model === undefined) throw new GgufModelError("importGguf: tokenizer.ggml.model is missing");
  if (model !== "llama") throw new GgufModelError(`importGguf: tokenizer.ggml.model is ${JSON.stringify(model)}; only SPM ("llama") vocabularies are supported`);
  const tokens = meta.get("tokenizer.ggml.tokens");
  if (tokens?.type !== "array" || tokens.itemType !== "string") throw new GgufModelError("importGguf: tokenizer.ggml.tokens must be an array of strings");
  const list = Array.from(tokens.value as ArrayLike<string>);
  const n = list.length;
  if (n < 1 || n > MODEL_CAPS.vocabulary) throw new GgufModelError(`importGguf: tokenizer.ggml.tokens has ${n} entries, expected 1 to ${MODEL_CAPS.vocabulary}`);
  const numArray = (key: string, fallback: number, check: (x: number) => boolean, what: string): number[] => {
    const v = meta.get(key);
    if (v === undefined) return new Array<number>(n).fill(fallback);
    if (v.type !== "array" || v.itemType === "string" || v.itemType === "bool" || v.itemType === "array" || v.value.length !== n) {
      throw new GgufModelError(`importGguf: ${key} must be a numeric array of ${n} entries, got ${describe(v)}${v.type === "array" ? ` of ${v.value.length}` : ""}`);
    }
    const vals = Array.from(v.value as ArrayLike<number | bigint>, Number);
    const bad = vals.findIndex((x) => !check(x));
    if (bad >= 0) throw new GgufModelError(`importGguf: ${key}[${bad}] is ${vals[bad]}, expected ${what}`);
    return vals;
  };
  const maxType = Math.max(...Object.values(TOKEN_TYPE));
  const id = (key: string, fallback: number): number => {
    if (meta.get(key) === undefined) return Math.min(fallback, n - 1);
    return intKey(meta, key, 0, n - 1);
  };
  return {
    tokens: list,
    scores: numArray("tokenizer.ggml.scores", 0, (x) => !Number.isNaN(x), "a number"),
    types: numArray("tokenizer.ggml.token_type", TOKEN_TYPE.normal, (x) => Number.isInteger(x) && x >= 0 && x <= maxType, `a token type 0..${maxType}`),
    bosId: id("tokenizer.ggml.bos_token_id", 1),
    eosId: id("tokenizer.ggml.eos_token_id", 2),
    unkId: id("tokenizer.ggml.unknown_token_id", 0),
    addBos: boolKey(meta, "tokenizer.ggml.add_bos_token", true),
    addEos: boolKey(meta, "tokenizer.ggml.add_eos_token", false),
    addSpacePrefix: boolKey(meta, "tokenizer.ggml.add_space_prefix", true),
  };
}

/** The tensors a model of `c` has, with their shapes (outermost first). */
function expectedTensors(c: BitNetModelConfig): Map<string, readonly number[]> {
  const hd = c.dim / c.heads;
  const kv = c.kvHeads * hd;
  const out = new Map<string, readonly number[]>([
    ["token_embd.weight", [c.vocabSize, c.dim]],
    ["output_norm.weight", [c.dim]],
  ]);
  const proj: Record<(typeof PROJECTIONS)[number][0], readonly number[]> = {
    attn_q: [c.dim, c.dim],
    attn_k: [kv, c.dim],
    attn_v: [kv, c.dim],
    attn_output: [c.dim, c.dim],
    ffn_gate: [c.ffnDim, c.dim],
    ffn_up: [c.ffnDim, c.dim],
    ffn_down: [c.dim, c.ffnDim],
  };
  for (let i = 0; i < c.layers; i++) {
    for (const [g] of NORMS) out.set(`blk.${i}.${g}.weight`, [g === "ffn_sub_norm" ? c.ffnDim : c.dim]);
    for (const [g] of PROJECTIONS) out.set(`blk.${i}.${g}.weight`, proj[g]);
  }
  return out;
}

/**
 * Validates a `bitnet` GGUF's metadata against caps and against the tensors
 * the file holds, before any model memory is allocated: integer keys must
 * have integer types and lie in range, floats be positive and finite, flags
 * be bools, token ids lie inside the vocabulary; `block_count` must match the
 * `blk.N` tensors present, every dimension the shapes of those tensors, and
 * every tensor be one the model has (with an optional one-element `.scale`
 * per projection). Throws a {@link GgufModelError} naming what is wrong.
 *
 * @example
 * ```ts
 * const { config } = validateModelMetadata(parseGguf(bytes));
 * config.layers; // 2
 * ```
 */
export function validateModelMetadata(file: GgufFile): ValidatedModelMetadata {
  const meta = file.metadata;
  const archValue = meta.get("general.architecture");
  const arch = archValue?.type === "string" ? archValue.value : undefined;
  if (arch !== ARCH) {
    const got = archValue === undefined ? "missing" : archValue.type === "string" ? JSON.stringify(archValue.value) : describe(archValue);
    throw new GgufModelError(`importGguf: general.architecture is ${got}; importGguf reads "${ARCH}" files (bitnet.cpp's "bitnet-b1.58"/"bitnet-25": importBitnetCppGguf)`);
  }
  const tensors = new Map(file.tensors.map((t) => [t.name, t]));
  const embd = tensors.get("token_embd.weight");
  if (embd === undefined || embd.shape.length !== 2) throw new GgufModelError("importGguf: tensor token_embd.weight is missing or not 2-D");
  const [embdRows, embdCols] = embd.shape as [number, number];

  const tokenizer = tokenizerOptions(meta);
  const vocabSize = tokenizer.tokens.length;
  if (embdRows !== vocabSize) throw new GgufModelError(`importGguf: token_embd.weight has ${embdRows} rows; the vocabulary has ${vocabSize} tokens`);

  // the layers present: blk.N tensors, N contiguous from 0
  let blocks = 0;
  for (const name of tensors.keys()) {
    const m = /^blk\.(\d+)\./.exec(name);
    if (m !== null) blocks = Math.max(blocks, Number(m[1]) + 1);
  }
  const layers = intKey(meta, `${ARCH}.block_count`, 1, MODEL_CAPS.layers);
  if (layers !== blocks) throw new GgufModelError(`importGguf: ${ARCH}.block_count is ${layers}, but the file holds tensors of ${blocks} blocks`);
  const dim = intKey(meta, `${ARCH}.embedding_length`, 1, embdCols);
  if (dim !== embdCols) throw new GgufModelError(`importGguf: ${ARCH}.embedding_length is ${dim}; token_embd.weight has ${embdCols} columns`);
  const heads = intKey(meta, `${ARCH}.attention.head_count`, 1, Math.min(dim, MODEL_CAPS.heads));
  const kvHeads = intKey(meta, `${ARCH}.attention.head_count_kv`, 1, heads, heads);
  const subNorm = tensors.get("blk.0.ffn_sub_norm.weight");
  if (subNorm?.shape.length !== 1) throw new GgufModelError("importGguf: tensor blk.0.ffn_sub_norm.weight is missing or not 1-D");
  const ffnMax = subNorm.shape[0];
  const ffnDim = intKey(meta, `${ARCH}.feed_forward_length`, 1, ffnMax);
  if (dim % heads !== 0) throw new GgufModelError(`importGguf: ${ARCH}.embedding_length ${dim} is not a multiple of ${ARCH}.attention.head_count ${heads}`);
  const headDim = dim / heads;
  if (headDim % 2 !== 0) throw new GgufModelError(`importGguf: the head size ${headDim} (embedding_length / head_count) must be even for RoPE`);
  if (heads % kvHeads !== 0) throw new GgufModelError(`importGguf: ${ARCH}.attention.head_count ${heads} is not a multiple of head_count_kv ${kvHeads}`);
  const contextCap = Math.min(MODEL_CAPS.contextLength, Math.floor(MODEL_CAPS.ropeElements / (headDim / 2)));
  const contextLength = intKey(meta, `${ARCH}.context_length`, 1, contextCap);
  const ropeTheta = positiveFloatKey(meta, `${ARCH}.rope.freq_base`, 10000);
  const normEps = positiveFloatKey(meta, `${ARCH}.attention.layer_norm_rms_epsilon`);
  const act = stringKey(meta, `${ARCH}.hidden_activation`);
  if (act !== undefined && act !== "silu" && act !== "relu2") throw new GgufModelError(`importGguf: ${ARCH}.hidden_activation is ${JSON.stringify(act)}; expected "silu" or "relu2"`);
  const hiddenActivation: HiddenActivation = act ?? "silu";
  if (meta.has(`${ARCH}.rope.dimension_count`)) {
    const rot = intKey(meta, `${ARCH}.rope.dimension_count`, 1, dim);
    if (rot !== headDim) throw new GgufModelError(`importGguf: ${ARCH}.rope.dimension_count ${rot} differs from the head size ${headDim}; partial RoPE is not supported`);
  }
  const config: BitNetModelConfig = { vocabSize, dim, layers, heads, kvHeads, ffnDim, contextLength, ropeTheta, normEps, hiddenActivation };

  // every tensor the model needs, with its shape; nothing else but .scale
  const expected = expectedTensors(config);
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (t === undefined) throw new GgufModelError(`importGguf: tensor ${name} is missing`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new GgufModelError(`importGguf: tensor ${name} has shape [${t.shape.join(", ")}], expected [${shape.join(", ")}]`);
    }
  }
  const extra: string[] = [];
  for (const [name, t] of tensors) {
    if (expected.has(name)) continue;
    const base = name.endsWith(".scale") ? `${name.slice(0, -".scale".length)}.weight` : null;
    if (base !== null && expected.has(base) && /^blk\.\d+\.(attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down)\.weight$/.test(base)) {
      if (t.elementCount !== 1) throw new GgufModelError(`importGguf: tensor ${name} has ${t.elementCount} elements, expected 1`);
      continue;
    }
    extra.push(name);
  }
  if (extra.length > 0) {
    throw new GgufModelError(`importGguf: unexpected tensors ${extra.slice(0, 8).join(", ")}${extra.length > 8 ? ` and ${extra.length - 8} more` : ""} (llama.cpp's bitnet loader rejects them too)`);
  }
  return { config, tokenizer };
}
