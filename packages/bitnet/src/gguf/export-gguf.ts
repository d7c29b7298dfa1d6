// GGUF export of a BitNetModel and its tokenizer for llama.cpp's `bitnet`
// architecture (its metadata keys and tensor names; packages/gguf/test/helpers/bitnet-model.ts
// builds the same shape of file by hand). `encodeGguf` builds the bytes in
// memory (browser-safe); `exportGguf` in "../node" also writes them to a file
// atomically. Not the import.
//
// Exactness: a projection with one per-tensor scale s is stored as its pure
// ternary codes (TQ blocks with d = 1, or F16/F32 values in {-1, 0, 1}) plus
// an f32 `<name>.scale` tensor holding s, which llama.cpp multiplies into the
// matmul output: exact for every type. `scale: "fold"` writes t·s instead
// (what llama.cpp's converter writes; TQ and F16 then round s to fp16).
import { type GgufTensorInput, type GgufValue, arr, bool, f32, str, u32, writeGguf } from "@bitnet-quantize/gguf";
import type { Tensor } from "@bitnet-quantize/tensor";
import { BitLinear } from "../bit-linear.js";
import { type BitNetModel, type TernaryProjection, ternaryProjection } from "../model/bitnet-model.js";
import type { SpmTokenizer } from "../tokenizer/spm-tokenizer.js";
import { ARCH, FILE_TYPE, GgufModelError, NORMS, PROJECTIONS } from "./gguf-names.js";

/**
 * The weight type of the projections.
 *
 * @example
 * ```ts
 * const t: GgufWeightType = "TQ2_0";
 * ```
 */
export type GgufWeightType = "TQ2_0" | "TQ1_0" | "F16" | "F32";

/**
 * Options of {@link encodeGguf} (and of `exportGguf` in `@bitnet-quantize/bitnet/node`).
 *
 * @example
 * ```ts
 * const opts: ExportGgufOptions = { type: "TQ1_0", scale: "tensor", embeddingType: "F16", onUnsupported: "refuse" };
 * ```
 */
export interface ExportGgufOptions {
  /** Projection weight type. */
  readonly type: GgufWeightType;
  /** `"tensor"` (default): codes plus an f32 `.scale` tensor, exact. `"fold"`: t·s in the weights, as llama.cpp's converter. */
  readonly scale?: "tensor" | "fold";
  /** Type of `token_embd.weight` (default "F32", exact; "F16" halves it and rounds). */
  readonly embeddingType?: "F32" | "F16";
  /** When a row length is not a multiple of 256 for TQ: "f16" (default) falls back to F16 with a warning; "refuse" throws. */
  readonly onUnsupported?: "f16" | "refuse";
  /** `general.name` (default "bitnet-quantize"). */
  readonly name?: string;
  /** Receives warnings (default `console.warn`). */
  readonly warn?: (message: string) => void;
}

/**
 * The GGUF bytes of a model and its tokenizer, in memory.
 *
 * @example
 * ```ts
 * const bytes = encodeGguf(model, tokenizer, { type: "TQ2_0" });
 * parseGguf(bytes).metadata.get("general.architecture"); // { type: "string", value: "bitnet" }
 * ```
 */
export function encodeGguf(model: BitNetModel, tokenizer: SpmTokenizer, opts: ExportGgufOptions): Uint8Array {
  const c = model.config;
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const scaleMode = opts.scale ?? "tensor";
  if (!["TQ2_0", "TQ1_0", "F16", "F32"].includes(opts.type)) throw new GgufModelError(`exportGguf: type must be TQ2_0, TQ1_0, F16 or F32, got ${String(opts.type)}`);
  if (c.hiddenActivation !== "silu") {
    throw new GgufModelError(`exportGguf: hiddenActivation "${c.hiddenActivation}" cannot be exported: llama.cpp's bitnet graph (b4747) computes SiLU, so the file would give other predictions`);
  }
  if (tokenizer.vocabSize !== c.vocabSize) throw new GgufModelError(`exportGguf: the tokenizer has ${tokenizer.vocabSize} tokens, the model's vocabSize is ${c.vocabSize}`);
  const D = c.dim / c.heads;
  const meta: [string, GgufValue][] = [
    ["general.architecture", str(ARCH)],
    ["general.name", str(opts.name ?? "bitnet-quantize")],
    ["general.file_type", u32(FILE_TYPE[opts.type])],
    ["general.quantization_version", u32(2)],
    [`${ARCH}.vocab_size`, u32(c.vocabSize)],
    [`${ARCH}.context_length`, u32(c.contextLength)],
    [`${ARCH}.embedding_length`, u32(c.dim)],
    [`${ARCH}.block_count`, u32(c.layers)],
    [`${ARCH}.feed_forward_length`, u32(c.ffnDim)],
    [`${ARCH}.attention.head_count`, u32(c.heads)],
    [`${ARCH}.attention.head_count_kv`, u32(c.kvHeads)],
    [`${ARCH}.attention.layer_norm_rms_epsilon`, f32(c.normEps)],
    [`${ARCH}.rope.dimension_count`, u32(D)],
    [`${ARCH}.rope.freq_base`, f32(c.ropeTheta)],
    ["tokenizer.ggml.model", str("llama")],
    ["tokenizer.ggml.tokens", arr("string", tokenizer.tokens)],
    ["tokenizer.ggml.scores", arr("f32", tokenizer.scores)],
    ["tokenizer.ggml.token_type", arr("i32", tokenizer.types)],
    ["tokenizer.ggml.bos_token_id", u32(tokenizer.bosId)],
    ["tokenizer.ggml.eos_token_id", u32(tokenizer.eosId)],
    ["tokenizer.ggml.unknown_token_id", u32(tokenizer.unkId)],
    ["tokenizer.ggml.add_bos_token", bool(tokenizer.addBos)],
    ["tokenizer.ggml.add_eos_token", bool(tokenizer.addEos)],
    ["tokenizer.ggml.add_space_prefix", bool(tokenizer.addSpacePrefix)],
  ];
  const host = (t: Tensor): Float32Array => Float32Array.from(t.contiguous().dataSync());
  const tensors: GgufTensorInput[] = [
    { name: "token_embd.weight", shape: [c.vocabSize, c.dim], type: opts.embeddingType ?? "F32", values: host(model.embed_tokens.weight.value) },
    { name: "output_norm.weight", shape: [c.dim], type: "F32", values: host(model.getParameter("norm.weight").value) },
  ];
  model.layers.forEach((layer, i) => {
    const norm = (n: (typeof NORMS)[number][0]): Float32Array => {
      const path = (NORMS.find(([g]) => g === n) as (typeof NORMS)[number])[1];
      return Float32Array.from(layer.getParameter(path).value.contiguous().dataSync());
    };
    tensors.push({ name: `blk.${i}.attn_norm.weight`, shape: [c.dim], type: "F32", values: norm("attn_norm") });
    for (const [gname, path] of PROJECTIONS) {
      const sub = layer.getSubmodule(path);
      if (!(sub instanceof BitLinear)) throw new GgufModelError(`exportGguf: layers.${i}.${path} is not a BitLinear`);
      const proj = ternaryProjection(sub);
      tensors.push(...projectionTensors(`blk.${i}.${gname}`, proj, opts.type, scaleMode, opts.onUnsupported ?? "f16", warn));
      if (gname === "attn_output") tensors.push({ name: `blk.${i}.attn_sub_norm.weight`, shape: [c.dim], type: "F32", values: norm("attn_sub_norm") });
      if (gname === "attn_output") tensors.push({ name: `blk.${i}.ffn_norm.weight`, shape: [c.dim], type: "F32", values: norm("ffn_norm") });
    }
    tensors.push({ name: `blk.${i}.ffn_sub_norm.weight`, shape: [c.ffnDim], type: "F32", values: norm("ffn_sub_norm") });
  });
  return writeGguf({ metadata: meta, tensors });
}

/** The tensor(s) for one projection: its weight and, for a per-tensor scale kept apart, `.scale`. */
function projectionTensors(
  base: string,
  p: TernaryProjection,
  type: GgufWeightType,
  scaleMode: "tensor" | "fold",
  onUnsupported: "f16" | "refuse",
  warn: (m: string) => void,
): GgufTensorInput[] {
  const { outFeatures: O, inFeatures: I, codes, scales, groupColumns: gc } = p;
  const G = Math.ceil(I / gc);
  let perTensor = true;
  for (let k = 1; k < scales.length; k++) if (scales[k] !== scales[0]) perTensor = false;
  let t: GgufWeightType = type;
  if ((t === "TQ2_0" || t === "TQ1_0") && I % 256 !== 0) {
    const msg = `exportGguf: ${base}.weight has rows of ${I} values; ${t} needs a multiple of 256`;
    if (onUnsupported === "refuse") throw new GgufModelError(`${msg} (onUnsupported: "refuse")`);
    warn(`${msg}; writing it as F16 instead`);
    t = "F16";
  }
  const shape = [O, I];
  if (scaleMode === "tensor" && perTensor) {
    const values = Float32Array.from(codes);
    return [
      { name: `${base}.weight`, shape, type: t, values },
      { name: `${base}.scale`, shape: [1], type: "F32", values: Float32Array.of(scales[0] ?? 1) },
    ];
  }
  // Folded: t·s per element. A TQ block holds one d: the scale must be constant over each aligned 256-run.
  const values = new Float32Array(O * I);
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) values[o * I + i] = codes[o * I + i] * (scales[o * G + Math.floor(i / gc)]);
  if ((t === "TQ2_0" || t === "TQ1_0") && !(perTensor || G === 1 || gc % 256 === 0)) {
    const msg = `exportGguf: ${base}.weight has a scale per ${gc} columns; a ${t} block of 256 holds one scale`;
    if (onUnsupported === "refuse") throw new GgufModelError(`${msg} (onUnsupported: "refuse")`);
    warn(`${msg}; writing it as F32 instead (values unchanged)`);
    t = "F32";
  }
  if (t !== "F32") warn(`exportGguf: ${base}.weight folds its scale into ${t}, which rounds it to fp16 (relative error up to 4.9e-4); scale: "tensor" is exact`);
  return [{ name: `${base}.weight`, shape, type: t, values }];
}
