// AbsMax activation quantization (BitNet b1.58): per token (or per tensor),
// scale = Qp / max(max|x|, eps), q = clamp(round(x · scale), -Qp - 1, Qp),
// Qp = 2^(bits-1) - 1; and its inverse x ≈ q / scale. A pure function of
// tensors: a fused loop on synchronous backends, tensor ops elsewhere (GPU).
import { type Tensor, abs, clamp, div, max, maximum, mul, numel, tensor } from "@bitnet-quantize/tensor";
import { QuantizationError } from "./errors.js";
import { type RoundingMode, roundTensor, roundingFunction } from "./rounding.js";
import { checkEps, checkFinite, checkFloat, checkRounding, deferFiniteCheck } from "./validate.js";

/** Options of {@link absMaxInt8}. */
export interface Int8Options {
  /** Bits per activation, 2..8 (default 8: Qp = 127). */
  readonly bits?: number;
  /** One scale per token (last-dimension row, default) or one for the whole tensor. */
  readonly perToken?: boolean;
  /** Floor on max|x| (default 1e-5). */
  readonly eps?: number;
  /** Tie rule (default `"half-even"`). */
  readonly rounding?: RoundingMode;
  /** Name used in error messages (default `"activations"`). */
  readonly name?: string;
}

/**
 * Quantized activations: int8 `codes` with x's shape, and float `scales` (the
 * multipliers, `Qp / max|x|`) with shape `[..., 1]` per token or all ones per
 * tensor, so that `x ≈ codes / scales` (broadcasting).
 *
 * @example
 * ```ts
 * const q: Int8Activations = absMaxInt8(tensor([[0.5, -1, 0.25, 0]]));
 * q.codes.toArray(); // [[64, -127, 32, 0]]
 * ```
 */
export interface Int8Activations {
  readonly codes: Tensor<"int8">;
  readonly scales: Tensor;
  readonly bits: number;
}

/** Qp for a bit width, validating it (2..8). */
export function qMax(bits: number, op: string): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new QuantizationError(`${op}: bits must be an integer from 2 to 8, got ${bits}`);
  return 2 ** (bits - 1) - 1;
}

/**
 * AbsMax quantization to `bits`-bit integers stored as int8. An all-zero row
 * gives codes 0 (and dequantizes to exactly 0). NaN or ±Infinity throws a
 * `QuantizationError`: at the call, naming the first bad index, on backends
 * that read synchronously (CPU); at the next read of a tensor on the backend
 * on the others (WebGPU, where the check runs on the device).
 *
 * @example
 * ```ts
 * const q = absMaxInt8(tensor([[0.5, -1, 0.25, 0]]));
 * q.codes.toArray(); // [[64, -127, 32, 0]]
 * q.scales.toArray(); // [[127]]
 * ```
 */
export function absMaxInt8(x: Tensor, opts: Int8Options = {}): Int8Activations {
  const op = "absMaxInt8";
  const name = opts.name ?? "activations";
  checkFloat(op, name, x);
  if (x.ndim === 0) throw new QuantizationError(`${op}: ${name} must have at least one dimension`);
  const bits = opts.bits ?? 8;
  const qp = qMax(bits, op);
  const eps = checkEps(op, opts.eps ?? 1e-5);
  const rounding = checkRounding(op, opts.rounding ?? "half-even");
  const perToken = opts.perToken ?? true;
  if (x.backend.readSync === undefined) {
    deferFiniteCheck(op, name, x);
    return absMaxInt8Tensor(x, qp, eps, rounding, perToken, bits);
  }

  const data = x.dataSync();
  checkFinite(op, name, data);
  const cols = x.shape[x.ndim - 1];
  const rows = cols === 0 ? 0 : numel(x.shape) / cols;
  const rnd = roundingFunction(rounding);
  const codes = new Int8Array(data.length);
  const scaleCount = perToken ? rows : 1;
  const scales = new Float64Array(Math.max(scaleCount, perToken ? 0 : 1));
  const quantize = (start: number, end: number, scale: number): void => {
    for (let i = start; i < end; i++) {
      const q = rnd(data[i] * scale);
      codes[i] = q > qp ? qp : q < -qp - 1 ? -qp - 1 : q;
    }
  };
  const absMax = (start: number, end: number): number => {
    let m = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(data[i]);
      if (a > m) m = a;
    }
    return m;
  };
  if (perToken) {
    for (let r = 0; r < rows; r++) {
      const scale = qp / Math.max(absMax(r * cols, (r + 1) * cols), eps);
      scales[r] = scale;
      quantize(r * cols, (r + 1) * cols, scale);
    }
  } else {
    const scale = qp / Math.max(absMax(0, data.length), eps);
    scales[0] = scale;
    quantize(0, data.length, scale);
  }
  const scaleShape = perToken ? [...x.shape.slice(0, -1), 1] : x.shape.map(() => 1);
  return {
    codes: tensor(codes, x.shape, "int8", x.backend),
    scales: tensor(scales, scaleShape, x.dtype, x.backend),
    bits,
  };
}

/**
 * The same quantization written in tensor ops, for backends without
 * synchronous reads (WebGPU). Exposed for the equivalence test.
 *
 * @example
 * ```ts
 * absMaxInt8Tensor(x, 127, 1e-5, "half-even", true, 8).codes.dtype; // "int8"
 * ```
 */
export function absMaxInt8Tensor(x: Tensor, qp: number, eps: number, rounding: RoundingMode, perToken: boolean, bits: number): Int8Activations {
  const a = perToken ? max(abs(x), -1, { keepDims: true }) : max(abs(x), undefined, { keepDims: true });
  const scales = div(qp, maximum(a, eps));
  const codes = clamp(roundTensor(mul(x, scales), rounding), -qp - 1, qp).cast("int8");
  return { codes, scales, bits };
}

/**
 * The float activations int8 codes stand for: `codes / scales`.
 *
 * @example
 * ```ts
 * dequantizeInt8(absMaxInt8(tensor([[0.5, -1]]))).toArray(); // [[0.50393..., -1]]
 * ```
 */
export function dequantizeInt8(q: Int8Activations): Tensor {
  return div(q.codes.cast(q.scales.dtype), q.scales);
}
