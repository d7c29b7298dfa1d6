// Which float arithmetic the inference pass runs: the library's own fast
// loops and kernels, or an emulation of llama.cpp's CPU backend bit for bit.
// Not how activations are quantized (activation-mode.ts).

/**
 * The inference pass's float arithmetic. `"fast"` (the default): the
 * library's kernels and host loops, which agree with llama.cpp's to float
 * rounding. `"ggml"`: llama.cpp b4747's CPU backend emulated bit for bit (its
 * TQ2_0 x Q8_K dot lanes, FMAs, vector exp and SiLU, fp16 and f32 dot
 * lanes), so that logits equal llama.cpp's exactly; slower, and only with
 * `"q8_K"` activations, the fp16 KV cache and a host (CPU) backend.
 *
 * @example
 * ```ts
 * const a: Arithmetic = "ggml";
 * ```
 */
export type Arithmetic = "fast" | "ggml";

/** Every arithmetic, for validation and tests. @example `ARITHMETICS.includes("ggml"); // true` */
export const ARITHMETICS: readonly Arithmetic[] = ["fast", "ggml"];
