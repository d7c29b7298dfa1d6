// How a frozen projection treats its input activations before the packed
// ternary kernel: the one place that turns activations into the kernel's
// operands (codes or floats, and their divisors). Not the kernel itself
// (`ternaryMatmul` in @bitnet-quantize/tensor/quant) and not the weights.
//
// Shapes: x [M, K] -> operands x [M, K] (int8 or float32), xScale [M] or [M, K/256].
import { type Backend, type DTypeMap, type Tensor, fromStorage, ones } from "@bitnet-quantize/tensor";
import type { BitNetConfig } from "./config.js";
import { BitNetError } from "./errors.js";
import { absMaxInt8, absMaxInt8Rows, qMax } from "./quantize-activations.js";
import { Q8_K_BLOCK, q8KActivations, q8KQuantizeRows } from "./quantize-q8k.js";

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
 * The operands of the packed ternary kernel for a projection input: `x`
 * (int8 codes, or float32 values for `"float"`) `[M, K]` and `xScale`, the
 * divisors (`[M]`, or `[M, K/256]` for `"q8_K"`).
 *
 * @example
 * ```ts
 * const ops: KernelOperands = kernelActivations(randn([2, 64]), "int8", BitNetConfig.default());
 * ops.xScale.shape; // [2]
 * ```
 */
export interface KernelOperands {
  readonly x: Tensor;
  readonly xScale: Tensor;
}

/**
 * The kernel operands for activations `x` `[M, K]` (float): `x` (int8 codes or
 * float32 values) and `xScale`, the divisors (`[M]`, or `[M, K/256]` for
 * `"q8_K"`). `"int8"` follows the layer's {@link BitNetConfig} (bits, eps,
 * rounding, per token or per tensor). On backends with synchronous reads
 * (CPU) this is {@link kernelActivationsFromRows} on x's values; elsewhere
 * (WebGPU) tensor ops (`"q8_K"` needs synchronous reads).
 *
 * @example
 * ```ts
 * const { x: q, xScale } = kernelActivations(x, "int8", BitNetConfig.default());
 * q.dtype; // "int8"
 * ```
 */
export function kernelActivations(x: Tensor, mode: ActivationMode, cfg: BitNetConfig): KernelOperands {
  if (x.ndim !== 2) throw new BitNetError(`kernelActivations: x must be [M, K], got [${x.shape.join(", ")}]`);
  const [M, K] = x.shape as [number, number];
  checkMode(mode, K);
  // synchronous reads: the values are read once and the quantizer loop runs on the host
  if (x.backend.readSync !== undefined) return kernelActivationsFromRows(x.cast("float32").dataSync(), M, K, mode, cfg, x.backend);
  switch (mode) {
    case "int8": {
      const q = absMaxInt8(x.cast("float32"), { bits: cfg.activationBits, perToken: cfg.perToken, eps: cfg.eps, rounding: cfg.rounding });
      return { x: q.codes, xScale: q.scales.expand([M, 1]).reshape([M]) };
    }
    case "float":
      return { x: x.cast("float32"), xScale: ones([M], "float32", x.backend) };
    case "q8_K": {
      const q = q8KActivations(x.cast("float32"));
      return { x: q.codes, xScale: q.scales };
    }
  }
}

/**
 * {@link kernelActivations} from activations already on the host: `data`
 * holds `M` rows of `K` float32 values; the quantizer loop runs here and only
 * its result (codes and divisors, or the floats for `"float"`) is uploaded to
 * `backend`. The same operands, bit for bit, as `kernelActivations` gives for
 * those values.
 *
 * @example
 * ```ts
 * const ops = kernelActivationsFromRows(new Float32Array([0.5, -1, 0.25, 0]), 1, 4, "int8", BitNetConfig.default(), getBackend());
 * ops.x.toArray(); // [[64, -127, 32, 0]]
 * ops.xScale.toArray(); // [127]
 * ```
 */
export function kernelActivationsFromRows(data: Float32Array, M: number, K: number, mode: ActivationMode, cfg: BitNetConfig, backend: Backend): KernelOperands {
  if (!Number.isInteger(M) || !Number.isInteger(K) || M < 0 || K < 0 || data.length !== M * K) {
    throw new BitNetError(`kernelActivationsFromRows: ${data.length} values are not ${M} rows of ${K}`);
  }
  checkMode(mode, K);
  const upload = <D extends "int8" | "float32">(values: DTypeMap[D], shape: number[], dtype: D): Tensor => fromStorage(backend.upload(values, dtype), shape, dtype);
  switch (mode) {
    case "int8": {
      const op = "absMaxInt8";
      const codes = new Int8Array(M * K);
      const scales = new Float64Array(cfg.perToken ? M : 1);
      absMaxInt8Rows(data, K, { qp: qMax(cfg.activationBits, op), eps: cfg.eps, rounding: cfg.rounding, perToken: cfg.perToken, op, name: "activations" }, codes, scales);
      // the float32 divisor of each row (one scale repeated over the rows without perToken)
      const xScale = new Float32Array(M);
      for (let m = 0; m < M; m++) xScale[m] = scales[cfg.perToken ? m : 0];
      return { x: upload(codes, [M, K], "int8"), xScale: upload(xScale, [M], "float32") };
    }
    case "float":
      return { x: upload(data, [M, K], "float32"), xScale: upload(new Float32Array(M).fill(1), [M], "float32") };
    case "q8_K": {
      const codes = new Int8Array(M * K);
      const scales = new Float32Array((M * K) / Q8_K_BLOCK);
      q8KQuantizeRows(data, K, codes, scales);
      return { x: upload(codes, [M, K], "int8"), xScale: upload(scales, [M, K / Q8_K_BLOCK], "float32") };
    }
  }
}

/** Throws unless `mode` is an activation mode whose row length fits `K`. */
function checkMode(mode: ActivationMode, K: number): void {
  if (!ACTIVATION_MODES.includes(mode)) {
    throw new BitNetError(`kernelActivations: unknown activation mode ${JSON.stringify(mode)} (expected one of ${ACTIVATION_MODES.join(", ")})`);
  }
  if (mode === "q8_K" && K % Q8_K_BLOCK !== 0) throw new BitNetError(`kernelActivations: "q8_K" needs row lengths that are multiples of ${Q8_K_BLOCK}, got ${K}`);
}
