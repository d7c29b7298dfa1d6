// Hugging Face BitNet checkpoint → llama.cpp `bitnet` GGUF (what convert_hf_to_gguf.py does for
// BitnetForCausalLM), in memory: load with loadHfCheckpoint, write with encodeGguf.
import { encodeGguf, type GgufWeightType } from "../gguf/export-gguf.js";
import { SpmTokenizer } from "../tokenizer/spm-tokenizer.js";
import { HfCheckpointError } from "./hf-error.js";
import { type HfCheckpointFiles, type LoadHfOptions, loadHfCheckpoint } from "./load-hf.js";

/**
 * Options of {@link convertHfToGguf}.
 *
 * @example
 * ```ts
 * const opts: ConvertHfOptions = { type: "TQ2_0", scale: "fold" };
 * ```
 */
export interface ConvertHfOptions extends LoadHfOptions {
  /** Projection type (default "TQ2_0"). */
  readonly type?: GgufWeightType;
  /**
   * `"tensor"` (default): ternary codes plus an f32 `.scale` tensor per projection (exact; llama.cpp
   * reads it). `"fold"`: t·s in the weights as convert_hf_to_gguf.py writes (TQ rounds s to fp16).
   */
  readonly scale?: "tensor" | "fold";
  /** Receives warnings (default `console.warn`). */
  readonly warn?: (message: string) => void;
}

/**
 * Converts a Hugging Face BitNet checkpoint to GGUF bytes for llama.cpp's `bitnet`
 * architecture. Weights are quantized as the converter's `weight_quant` does (per-tensor
 * AbsMean, round half to even, clamp to ±1: the model's own quantizer); `token_embd` is
 * F16 when the checkpoint stores it in F16 (lossless), else F32; TQ rows that are not a
 * multiple of 256 fall back to F16 with a warning, as the converter does. The 2B-4T
 * layout is refused: llama.cpp b4747's `bitnet` graph has no relu² FFN (and its vocabulary
 * is BPE, which the `bitnet` writer does not carry).
 *
 * @throws HfCheckpointError for a checkpoint it cannot convert.
 * @example
 * ```ts
 * const gguf = convertHfToGguf(files, { type: "TQ1_0" });
 * importGguf(gguf).model.logits(ids); // the same as loadHfCheckpoint(files).model.logits(ids)
 * ```
 */
export function convertHfToGguf(files: HfCheckpointFiles, opts: ConvertHfOptions = {}): Uint8Array {
  const { model, tokenizer, layout, config } = loadHfCheckpoint(files, opts);
  if (config.model.hiddenActivation !== "silu") {
    throw new HfCheckpointError(
      `convertHfToGguf: this ${layout} checkpoint uses hidden_act "${config.model.hiddenActivation}" (squared ReLU); llama.cpp b4747's bitnet architecture computes SiLU, so a GGUF of it would give other predictions. Load it directly with loadHfCheckpoint instead.`,
    );
  }
  if (!(tokenizer instanceof SpmTokenizer)) {
    throw new HfCheckpointError("convertHfToGguf: the bitnet GGUF needs a SentencePiece vocabulary (tokenizer.model); none was found in the checkpoint");
  }
  const embDtype = files.weights.flatMap((f) => f.tensors).find((t) => t.name === "model.embed_tokens.weight")?.dtype;
  return encodeGguf(model, tokenizer, {
    type: opts.type ?? "TQ2_0",
    scale: opts.scale ?? "tensor",
    embeddingType: embDtype === "F16" ? "F16" : "F32",
    ...(opts.warn === undefined ? {} : { warn: opts.warn }),
  });
}
