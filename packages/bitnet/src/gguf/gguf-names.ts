// The names llama.cpp's `bitnet` architecture uses in a GGUF file: metadata
// keys, tensor names per layer, file type ids, and the error both directions
// throw. Constants and one error class; no I/O.
import { BitNetError } from "../errors.js";

/**
 * The architecture string, and the prefix of its metadata keys.
 *
 * @example
 * ```ts
 * `${ARCH}.block_count`; // "bitnet.block_count"
 * ```
 */
export const ARCH = "bitnet";

/**
 * The per-layer projection tensors in file order, with the model's module path
 * inside a decoder layer.
 *
 * @example
 * ```ts
 * PROJECTIONS[0]; // ["attn_q", "self_attn.q_proj"]
 * ```
 */
export const PROJECTIONS = [
  ["attn_q", "self_attn.q_proj"],
  ["attn_k", "self_attn.k_proj"],
  ["attn_v", "self_attn.v_proj"],
  ["attn_output", "self_attn.o_proj"],
  ["ffn_gate", "mlp.gate_proj"],
  ["ffn_up", "mlp.up_proj"],
  ["ffn_down", "mlp.down_proj"],
] as const;

/**
 * The per-layer norm tensors with the model's parameter path inside a decoder layer.
 *
 * @example
 * ```ts
 * NORMS[1]; // ["attn_sub_norm", "self_attn.attn_sub_norm.weight"]
 * ```
 */
export const NORMS = [
  ["attn_norm", "input_layernorm.weight"],
  ["attn_sub_norm", "self_attn.attn_sub_norm.weight"],
  ["ffn_norm", "post_attention_layernorm.weight"],
  ["ffn_sub_norm", "mlp.ffn_sub_norm.weight"],
] as const;

/**
 * `general.file_type` values (llama.cpp's `llama_ftype`).
 *
 * @example
 * ```ts
 * FILE_TYPE.TQ2_0; // 37
 * ```
 */
export const FILE_TYPE = { F32: 0, F16: 1, TQ1_0: 36, TQ2_0: 37 } as const;

/**
 * A GGUF export or import problem: a missing or mistyped key, an unsupported
 * tensor type, a shape that does not fit, weights that are not ternary.
 *
 * @example
 * ```ts
 * importGguf(bytesOfALlamaModel); // throws GgufModelError: general.architecture is "llama"; importGguf reads "bitnet" files
 * ```
 */
export class GgufModelError extends BitNetError {}
