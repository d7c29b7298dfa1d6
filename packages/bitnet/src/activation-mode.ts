// How a frozen projection treats its input activations before the packed
// ternary kernel: the one place that turns activations into the kernel's
// operands (codes or floats, and their divisors). Not the kernel itself
// (`ternaryMatmul` in @bitnet-quantize/tensor/quant) and not the weights.
//
// Shapes: x [M, K] -> operands x [M, K] (int8 or float32), xScale [M] or [M, K/256].
import { type Tensor, ones } from "@bitnet-quantize/tensor";
import type { BitNetConfig } from "./config.js";
import { BitNetError } from "./errors.js";
import { absMaxInt8 } from "./quantize-activations.js";
import { Q8_K_BLOCK, q8KActivations } from "./quantize-q8k.js";

/**
 * How projections see their input: `"int8"` (BitNet per-token AbsMax, as
 * trained), `"float"` (none, as llama.cpp with F32/F16 weights) or `"q8_K"`
 * (llama.cpp's TQ1_0/TQ2_0 activation quantization: blocks of 256).
 *
 * @example
 * ```ts
 * const mode: ActivationMode = "q8_K";
 * ```
 */
export type ActivationMode = "int8" | "float" | "q8_K";

/** Every activation mode, for validation and tests. @example `ACTIVATION_MODES.includes("q8_K"); // true` */
export const ACTIVATION_MODES: readonly ActivationMode[] = ["int8", "float", "q8_K"];

/**
 * The kernel operands for activations `x` `[M, K]` (float): `x` (int8 codes or
 * float32 values) and `xScale`, the divisors (`[M]`, or `[M, K/256]` for
 * `"q8_K"`). `"int8"` follows the layer's {@link BitNetConfig} (bits, eps,
 * rounding, per token or per tensor).
 *
 * @example
 * ```ts
 * const { x: q, xScale } = kernelActivations(x, "int8", BitNetConfig.default());
 * q.dtype; // "int8"
 * ```
 */
export function kernelActivations(x: Tensor, mode: ActivationMode, cfg: BitNetConfig): { readonly x: Tensor; readonly xScale: Tensor } {
  if (x.ndim !== 2) throw new BitNetError(`kernelActivations: x must be [M, K], got [${x.shape.join(", ")}]`);
  const [M, K] = x.shape as [number, number];
  switch (mode) {
    case "int8": {
      const q = absMaxInt8(x.cast("float32"), { bits: cfg.activationBits, perToken: cfg.perToken, eps: cfg.eps, rounding: cfg.rounding });
      return { x: q.codes, xScale: q.scales.expand([M, 1]).reshape([M]) };
    }
    case "float":
      return { x: x.cast("float32"), xScale: ones([M], "float32", x.backend) };
    case "q8_K": {
      if (K % Q8_K_BLOCK !== 0) throw new BitNetError(`kernelActivations: "q8_K" needs row lengths that are multiples of ${Q8_K_BLOCK}, got ${K}`);
      const q = q8KActivations(x.cast("float32"));
      return { x: q.codes, xScale: q.scales };
    }
    default:
      throw new BitNetError(`kernelActivations: unknown activation mode ${JSON.stringify(mode)} (expected one of ${ACTIVATION_MODES.join(", ")})`);
  }
}
