// Export of a BitNetModel (and its SPM tokenizer) to a Hugging Face checkpoint in the 1bitLLM
// layout (`BitnetForCausalLM`: llama names, float latent weights, SentencePiece tokenizer.model).
// Files as bytes/text in memory; ./node.ts writes them to a directory.
import { encodeFloats, writeSafetensors, type SafetensorsTensorInput } from "@bitnet-quantize/safetensors";
import { BitLinear } from "../bit-linear.js";
import type { BitNetModel } from "../model/bitnet-model.js";
import { type SpmTokenizer } from "../tokenizer/spm-tokenizer.js";
import { hfConfigJson } from "./hf-config.js";
import { HfCheckpointError } from "./hf-error.js";
import { writeSentencePieceModel } from "./sentencepiece-model.js";

/**
 * Options of {@link exportHfCheckpoint}.
 *
 * @example
 * ```ts
 * const opts: ExportHfOptions = { dtype: "F16" };
 * ```
 */
export interface ExportHfOptions {
  /** Storage dtype of every tensor (default "F32", exact; 1bitLLM publishes float16). */
  readonly dtype?: "F32" | "F16" | "BF16";
}

/**
 * The files of the exported checkpoint, by file name.
 *
 * @example
 * ```ts
 * Object.keys(files); // ["config.json", "model.safetensors", "tokenizer.model", "tokenizer_config.json"]
 * ```
 */
export type HfCheckpointOutput = Readonly<Record<string, Uint8Array | string>>;

/**
 * A model as a 1bitLLM-layout checkpoint: `config.json` (`BitnetForCausalLM`),
 * `model.safetensors` (latent weights under `model.embed_tokens.weight`,
 * `model.layers.i.self_attn.{q,k,v,o}_proj.weight`, `…self_attn.inner_attn_ln.weight`,
 * `…mlp.{gate,up,down}_proj.weight`, `…mlp.ffn_layernorm.weight`, the two layer norms and
 * `model.norm.weight`; `__metadata__` {format: "pt"}; no lm_head: it is tied) and, with a
 * tokenizer, `tokenizer.model` and `tokenizer_config.json`. {@link loadHfCheckpoint}
 * reads it back to the same logits (F32; F16/BF16 round the weights).
 *
 * @throws HfCheckpointError when the tokenizer's size differs from the model's vocabulary.
 * @example
 * ```ts
 * const files = exportHfCheckpoint(model, tokenizer);
 * loadHfCheckpoint({ config: files["config.json"] as string, weights: [parseSafetensors(files["model.safetensors"] as Uint8Array)] });
 * ```
 */
export function exportHfCheckpoint(model: BitNetModel, tokenizer?: SpmTokenizer, opts: ExportHfOptions = {}): HfCheckpointOutput {
  const c = model.config;
  const dtype = opts.dtype ?? "F32";
  if (tokenizer !== undefined && tokenizer.vocabSize !== c.vocabSize) {
    throw new HfCheckpointError(`exportHfCheckpoint: the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocabulary is ${c.vocabSize}`);
  }
  const tensors = new Map<string, SafetensorsTensorInput>();
  const put = (name: string, values: ArrayLike<number>, shape: readonly number[]): void => {
    tensors.set(name, { dtype, shape, data: encodeFloats(values, dtype) });
  };
  put("model.embed_tokens.weight", model.embed_tokens.weight.value.dataSync(), [c.vocabSize, c.dim]);
  put("model.norm.weight", model.getParameter("norm.weight").value.dataSync(), [c.dim]);
  const norms = [
    ["input_layernorm.weight", "input_layernorm.weight"],
    ["post_attention_layernorm.weight", "post_attention_layernorm.weight"],
    ["self_attn.attn_sub_norm.weight", "self_attn.inner_attn_ln.weight"],
    ["mlp.ffn_sub_norm.weight", "mlp.ffn_layernorm.weight"],
  ] as const;
  model.layers.forEach((layer, i) => {
    for (const [path, hf] of norms) {
      const p = layer.getParameter(path);
      put(`model.layers.${i}.${hf}`, p.value.dataSync(), p.shape);
    }
    for (const path of ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]) {
      const sub = layer.getSubmodule(path);
      if (!(sub instanceof BitLinear)) throw new HfCheckpointError(`exportHfCheckpoint: layers.${i}.${path} is not a BitLinear`);
      if (!sub.hasLatentWeights) {
        throw new HfCheckpointError(`exportHfCheckpoint: layers.${i}.${path} holds only packed ternary weights (a model from importGguf without { trainable: true }); the 1bitLLM layout stores float latent weights: import with { trainable: true }`);
      }
      put(`model.layers.${i}.${path}.weight`, sub.weight.value.dataSync(), [sub.outFeatures, sub.inFeatures]);
    }
  });
  const out: Record<string, Uint8Array | string> = {
    "config.json": hfConfigJson(c, {
      ...(tokenizer === undefined ? {} : { bosId: tokenizer.bosId, eosId: tokenizer.eosId }),
      dtype: dtype === "F16" ? "float16" : "float32",
    }),
    "model.safetensors": writeSafetensors({ tensors, metadata: { format: "pt" } }),
  };
  if (tokenizer !== undefined) {
    out["tokenizer.model"] = writeSentencePieceModel({
      pieces: tokenizer.tokens,
      scores: Array.from(tokenizer.scores),
      types: Array.from(tokenizer.types),
      unkId: tokenizer.unkId,
      bosId: tokenizer.bosId,
      eosId: tokenizer.eosId,
      padId: -1,
      modelType: "bpe",
      byteFallback: true,
      addDummyPrefix: tokenizer.addSpacePrefix,
    });
    out["tokenizer_config.json"] = `${JSON.stringify(
      {
        tokenizer_class: "LlamaTokenizer",
        add_bos_token: tokenizer.addBos,
        add_eos_token: tokenizer.addEos,
        bos_token: tokenizer.idToToken(tokenizer.bosId),
        eos_token: tokenizer.idToToken(tokenizer.eosId),
        unk_token: tokenizer.idToToken(tokenizer.unkId),
      },
      null,
      2,
    )}\n`;
  }
  return out;
}
