// AbsMax activation quantization (BitNet b1.58): per token (or per tensor),
// scale = Qp / max(max|x|, eps), q = clamp(round(x · scale), -Qp - 1, Qp),
// Qp = 2^(bits-1) - 1; and its inverse x ≈ q / scale. A pure function of
// tensors: a fused loop on synchronous backends, tensor ops elsewhere (GPU).
import { type Tensor, abs, absMaxRange, clamp, div, fromStorage, max, maximum, mul, numel, quantizeInt8Range, tensor } from "@bitnet-quantize/tensor";
import { QuantizationError } from "./errors.js";
import { type RoundingMode, roundTensor } from "./rounding.js";
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
  const cols = x.shape[x.ndim - 1];
  const rows = cols === 0 ? 0 : numel(x.shape) / cols;
  const codes = new Int8Array(data.length);
  const scales = new Float64Array(perToken ? rows : 1);
  absMaxInt8Rows(data, cols, { qp, eps, rounding, perToken, op, name }, codes, scales);
  const scaleShape = perToken ? [...x.shape.slice(0, -1), 1] : x.shape.map(() => 1);
  const b = x.backend;
  return {
    // upload, not tensor(): the codes are int8 already (tensor() would range-check each one)
    codes: fromStorage(b.upload(codes, "int8"), x.shape, "int8"),
    scales: tensor(scales, scaleShape, x.dtype, b),
    bits,
  };
}

/** The resolved settings of {@link absMaxInt8Rows}: Qp, eps, tie rule, scope, and the names errors use. */
export interface AbsMaxRowsOptions {
  readonly qp: number;
  readonly eps: number;
  readonly rounding: RoundingMode;
  readonly perToken: boolean;
  readonly op: string;
  readonly name: string;
}

/**
 * The AbsMax loop on host arrays (what {@link absMaxInt8} runs on backends
 * with synchronous reads): rows of `cols` values of `data` into int8 `codes`
 * (same length) and the float64 multipliers `scales` (one per row, or one
 * for all with `perToken: false`). NaN or ±Infinity throws a
 * `QuantizationError` naming the first bad index.
 *
 * @example
 * ```ts
 * const codes = new Int8Array(4);
 * const scales = new Float64Array(1);
 * absMaxInt8Rows([0.5, -1, 0.25, 0], 4, { qp: 127, eps: 1e-5, rounding: "half-even", perToken: true, op: "absMaxInt8", name: "x" }, codes, scales);
 * Array.from(codes); // [64, -127, 32, 0]
 * scales[0]; // 127
 * ```
 */
export function absMaxInt8Rows(data: ArrayLike<number>, cols: number, o: AbsMaxRowsOptions, codes: Int8Array, scales: Float64Array): void {
  const n = data.length;
  const rows = cols === 0 ? 0 : n / cols;
  if (codes.length !== n || scales.length !== (o.perToken ? rows : 1)) {
    throw new QuantizationError(`${o.op}: ${n} values in rows of ${cols} need ${n} codes and ${o.perToken ? rows : 1} scales, got ${codes.length} and ${scales.length}`);
  }
  // each row (or the whole tensor): tensor's absMaxRange and quantizeInt8Range (SIMD kernels on float32 rows, plain loops otherwise)
  const step = o.perToken ? cols : n;
  for (let r = 0; r < scales.length; r++) {
    const start = r * step;
    const m = absMaxRange(data, start, start + step);
    if (m !== m || m === Infinity) checkFinite(o.op, o.name, data); // throws, naming the first bad index
    const scale = o.qp / Math.max(m, o.eps);
    scales[r] = scale;
    quantizeInt8Range(data, start, start + step, scale, o.qp, o.rounding, codes);
  }
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
