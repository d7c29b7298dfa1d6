// GGUF import: a `bitnet` file (ours, or one from llama.cpp's converter or
// llama-quantize) back into a BitNetModel and SpmTokenizer with the same
// logits. Not the export.
//
// By default the projections become frozen BitLinears built straight from the
// file's codes (packed-from-gguf.ts): packed weights and scales only, no float
// latent weights. With `{ trainable: true }` each projection must be ternary
// with one scale (its decoded values, times `.scale` if present, are ±m or 0);
// the model's BitLinear derives its codes and scale from a latent weight by
// AbsMean, so the latent weight is built to give back exactly codes t and
// scale m, and checked.
import { noGrad } from "@bitnet-quantize/autograd";
import { type BytesLike, GgufError, type GgufFile, type GgufTensorInfo, dequantize, parseGguf, toBytes } from "@bitnet-quantize/gguf";
import { tensor } from "@bitnet-quantize/tensor";
import { BitLinear } from "../bit-linear.js";
import { BitNetConfig } from "../config.js";
import { BitNetModel } from "../model/bitnet-model.js";
import { absMeanTernary } from "../quantize-weights.js";
import { SpmTokenizer } from "../tokenizer/spm-tokenizer.js";
import { packedProjection } from "./packed-from-gguf.js";
import { GgufModelError, NORMS, PROJECTIONS } from "./gguf-names.js";
import { validateModelMetadata } from "./model-metadata.js";

/**
 * What {@link importGguf} returns: the model, its tokenizer, and the parsed header.
 *
 * @example
 * ```ts
 * const { model, tokenizer } = importGguf(bytes);
 * ```
 */
export interface ImportedGguf {
  readonly model: BitNetModel;
  readonly tokenizer: SpmTokenizer;
  readonly file: GgufFile;
}

/**
 * Options of {@link importGguf}.
 *
 * @example
 * ```ts
 * const opts: ImportGgufOptions = { trainable: true };
 * ```
 */
export interface ImportGgufOptions {
  /**
   * Build float latent weights (4 bytes per weight) so that the model can be
   * trained again (default false: frozen packed projections, 2 bits per
   * weight, inference only).
   */
  readonly trainable?: boolean;
}

/**
 * Loads a `bitnet` GGUF: tensors of any type `@bitnet-quantize/gguf` decodes
 * (F32/F16/BF16, Q4_0…Q8_0, the k-quants Q2_K…Q6_K — so llama-quantize's
 * default Q6_K `token_embd` imports —, TQ1_0/TQ2_0, I2_S; the IQ types give a
 * clear error naming the tensor), an SPM (`llama`) tokenizer, optional `.scale`
 * tensors. Every size and flag in the metadata is validated (types, ranges,
 * caps, and against the tensors present) before anything is allocated
 * ({@link validateModelMetadata}). Throws a `GgufError` when the input is not
 * bytes or not a well-formed GGUF file, and a {@link GgufModelError} naming the key or
 * tensor that is missing, mistyped, out of range or not ternary for every
 * other failure: nothing else escapes. The model's projections are frozen and
 * packed (no latent weights) unless `trainable` is set. The tensor data is
 * read through views of `input`; nothing keeps `input` alive afterwards.
 *
 * @example
 * ```ts
 * const { model, tokenizer } = importGguf(await readFile("out/model.gguf"));
 * model.generate(tokenizer.encode("the cat"), { maxTokens: 16 });
 * importGguf(bytes, { trainable: true }).model.projections()[0]?.[1].isFrozen; // false
 * ```
 */
export function importGguf(input: BytesLike, opts: ImportGgufOptions = {}): ImportedGguf {
  try {
    return importGgufUnchecked(input, opts);
  } catch (e) {
    // GgufError by name too: one from a second copy of @bitnet-quantize/gguf is not an instance of this copy's class.
    if (e instanceof GgufModelError || e instanceof GgufError || (e instanceof Error && e.name === "GgufError")) throw e;
    throw Object.assign(new GgufModelError(`importGguf: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`), { cause: e });
  }
}

function importGgufUnchecked(input: BytesLike, opts: ImportGgufOptions): ImportedGguf {
  const trainable = opts.trainable ?? false;
  // A plain view (a Node Buffer's slice() shares memory, which the gguf codecs do not expect); other inputs throw a GgufError.
  const bytes = toBytes(input, "importGguf");
  const file = parseGguf(bytes);
  // every size and flag checked against caps and the tensors present, before any allocation
  const checked = validateModelMetadata(file);
  const tokenizer = new SpmTokenizer(checked.tokenizer);
  const config = checked.config;
  const model = new BitNetModel(config, { quant: BitNetConfig.default(), init: trainable ? "random" : "empty" });
  const used = new Set<string>();
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const find = (name: string, shape: readonly number[]): GgufTensorInfo => {
    const info = byName.get(name);
    if (info === undefined) throw new GgufModelError(`importGguf: tensor ${name} is missing`);
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new GgufModelError(`importGguf: tensor ${name} has shape [${info.shape.join(", ")}], expected [${shape.join(", ")}]`);
    }
    used.add(name);
    return info;
  };
  const decodeError = (info: GgufTensorInfo, e: unknown): GgufModelError =>
    e instanceof GgufModelError
      ? e
      : new GgufModelError(`importGguf: tensor ${info.name} is ${info.type}, which this importer cannot decode (${e instanceof Error ? e.message : String(e)}); re-quantize token_embd with llama-quantize --token-embedding-type f16`);
  const read = (name: string, shape: readonly number[]): Float32Array => {
    const info = find(name, shape);
    try {
      return dequantize(file, bytes, name);
    } catch (e) {
      throw decodeError(info, e);
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
        if (!(sub instanceof BitLinear)) throw new GgufModelError(`importGguf: layers.${i}.${path} is not a BitLinear`);
        const name = `blk.${i}.${gname}`;
        let scale = 1;
        if (byName.has(`${name}.scale`)) {
          const s = read(`${name}.scale`, [1]);
          scale = s[0];
        }
        if (!trainable) {
          const info = find(`${name}.weight`, [sub.outFeatures, sub.inFeatures]);
          try {
            sub.loadPacked(packedProjection(file, bytes, info, scale)); // TQ2_0 words are filled where the CPU kernels read them, never copied
          } catch (e) {
            throw decodeError(info, e);
          }
          continue;
        }
        const values = read(`${name}.weight`, [sub.outFeatures, sub.inFeatures]);
        sub.weight.value = tensor(latentWeight(name, values, scale, model.quant), [sub.outFeatures, sub.inFeatures]);
      }
    });
  });
  const extra = file.tensors.filter((t) => !used.has(t.name)).map((t) => t.name);
  if (extra.length > 0) throw new GgufModelError(`importGguf: unexpected tensors ${extra.join(", ")} (llama.cpp's bitnet loader rejects them too)`);
  return { model, tokenizer, file };
}

/**
 * A latent float weight whose AbsMean quantization gives exactly the ternary
 * codes of `values` and the scale m·`scale` (m = the common magnitude of the
 * non-zero values). All non-zero entries get one magnitude v except the
 * last, tuned so that the mean of |W| rounds to the scale exactly.
 */
function latentWeight(name: string, values: Float32Array, scale: number, quant: BitNetConfig): Float32Array {
  let m = 0;
  let nnz = 0;
  for (const v of values) {
    if (v === 0) continue;
    const a = Math.abs(v);
    if (m === 0) m = a;
    else if (a !== m) throw new GgufModelError(`importGguf: ${name}.weight is not ternary with one scale (magnitudes ${m} and ${a}); BitNetModel needs BitNet b1.58 weights`);
    nnz++;
  }
  const n = values.length;
  const W = new Float32Array(n);
  if (nnz === 0) return W;
  const s = Math.fround(m * scale);
  if (s < quant.eps) throw new GgufModelError(`importGguf: ${name} has scale ${s}, below the quantizer's eps ${quant.eps}`);
  const total = s * n; // the sum of |W| that averages to s
  const v = Math.fround(total / nnz);
  const last = Math.fround(total - (nnz - 1) * v);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === 0) continue;
    k++;
    W[i] = (x > 0 ? 1 : -1) * (k === nnz ? last : v);
  }
  // Check against the quantizer itself: codes and scale must come back exactly.
  const q = absMeanTernary(tensor(W, [n]), { groupSize: quant.groupSize, eps: quant.eps, rounding: quant.rounding });
  const codes = q.codes.dataSync();
  const got = q.scales.dataSync()[0];
  for (let i = 0; i < n; i++) {
    const want = Math.sign(values[i]);
    if (codes[i] !== want) throw new GgufModelError(`importGguf: ${name}: could not rebuild a weight with code ${want} at ${i}`);
  }
  if (got !== s) throw new GgufModelError(`importGguf: ${name}: the rebuilt weight has scale ${got}, not ${s}`);
  return W;
}
