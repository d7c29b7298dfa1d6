// llama.cpp's Q8_K activation quantization (what its CPU backend does to a
// projection's input before a TQ1_0/TQ2_0 dot product): blocks of 256 values,
// iscale = -127 / max (max: the value of largest magnitude, sign kept),
// q = min(127, round-half-even(f32(iscale · x))), d = 1 / iscale. Not BitNet's
// per-token AbsMax (quantize-activations.ts). A pure function of tensors;
// synchronous backends only (the result is read on the host).
//
// Shapes: x [..., K] with K a multiple of 256 -> codes [..., K] int8,
// scales [..., K/256] (the divisors iscale; 1 for an all-zero block).
import { type Tensor, absMaxRange, fromStorage, quantizeInt8RangeF32 } from "@bitnet-quantize/tensor";
import { QuantizationError } from "./errors.js";
import { checkFinite, checkFloat } from "./validate.js";

/** Values per Q8_K block (QK_K). */
export const Q8_K_BLOCK = 256;

/**
 * Q8_K-quantized activations: int8 `codes` with x's shape and one divisor per
 * block of 256, `scales` `[..., K/256]`, so that `x ≈ codes / scales` blockwise.
 *
 * @example
 * ```ts
 * const q: Q8KActivations = q8KActivations(x); // x [1, 256]
 * q.scales.shape; // [1, 1]
 * ```
 */
export interface Q8KActivations {
  readonly codes: Tensor<"int8">;
  readonly scales: Tensor<"float32">;
}

const f32 = Math.fround;

/**
 * Quantizes rows of `x` as llama.cpp's `quantize_row_q8_K_ref`. NaN or
 * ±Infinity, a last dimension that is not a multiple of 256, or a backend
 * without synchronous reads throws a `QuantizationError`.
 *
 * @example
 * ```ts
 * const x = tensor(new Float32Array(256).fill(0.5).fill(-2, 0, 1), [1, 256]);
 * const q = q8KActivations(x);
 * q.codes.dataSync()[0]; // -127 (the block's largest magnitude)
 * q.codes.dataSync()[1]; // 32 (0.5 · 63.5 = 31.75)
 * q.scales.dataSync()[0]; // 63.5 (= -127 / -2)
 * ```
 */
export function q8KActivations(x: Tensor): Q8KActivations {
  const op = "q8KActivations";
  checkFloat(op, "activations", x);
  if (x.ndim === 0) throw new QuantizationError(`${op}: activations must have at least one dimension`);
  const K = x.shape[x.ndim - 1];
  if (K % Q8_K_BLOCK !== 0) throw new QuantizationError(`${op}: the last dimension (${K}) must be a multiple of ${Q8_K_BLOCK}`);
  if (x.backend.readSync === undefined) {
    throw new QuantizationError(`${op}: needs a backend with synchronous reads (got ${x.backend.name}); use "int8" or "float" activations there`);
  }
  const data = x.dataSync();
  const codes = new Int8Array(data.length);
  const scales = new Float32Array(K === 0 ? 0 : (data.length / K) * (K / Q8_K_BLOCK));
  q8KQuantizeRows(data, K, codes, scales, op);
  const b = x.backend;
  // upload, not tensor(): the codes are int8 already (tensor() would range-check each one)
  return {
    codes: fromStorage(b.upload(codes, "int8"), x.shape, "int8"),
    scales: fromStorage(b.upload(scales, "float32"), [...x.shape.slice(0, -1), K / Q8_K_BLOCK], "float32"),
  };
}

/**
 * The Q8_K loop on host arrays (what {@link q8KActivations} runs): rows of
 * `K` values of `data` (K a multiple of 256) into `codes` (same length) and
 * `scales` (one divisor per block, 1 for an all-zero block). NaN or
 * ±Infinity throws a `QuantizationError` naming the first bad index, as
 * `q8KActivations` does.
 *
 * @example
 * ```ts
 * const codes = new Int8Array(256);
 * const scales = new Float32Array(1);
 * q8KQuantizeRows(new Float32Array(256).fill(-2, 0, 1), 256, codes, scales);
 * codes[0]; // -127
 * scales[0]; // 63.5
 * ```
 */
export function q8KQuantizeRows(data: ArrayLike<number>, K: number, codes: Int8Array, scales: Float32Array, op = "q8KActivations"): void {
  if (K % Q8_K_BLOCK !== 0) throw new QuantizationError(`${op}: the row length (${K}) must be a multiple of ${Q8_K_BLOCK}`);
  const blocks = data.length / Q8_K_BLOCK;
  if (!Number.isInteger(blocks) || codes.length !== data.length || scales.length !== blocks) {
    throw new QuantizationError(`${op}: ${data.length} values need ${data.length} codes and ${blocks} scales, got ${codes.length} and ${scales.length}`);
  }
  // blocks in row-major order: the rows of K values are consecutive runs of blocks; tensor's absMaxRange and
  // quantizeInt8RangeF32 (SIMD kernels on float32 rows, plain loops otherwise) do the two passes over each
  for (let b = 0; b < blocks; b++) {
    const start = b * Q8_K_BLOCK;
    const end = start + Q8_K_BLOCK;
    const amax = absMaxRange(data, start, end);
    if (!(amax < Infinity)) checkFinite(op, "activations", data); // NaN or ±Infinity: throws, naming the first bad value
    if (amax === 0) {
      scales[b] = 1; // codes stay 0: the block contributes nothing
      codes.fill(0, start, end);
      continue;
    }
    // max: the first value of largest magnitude, its sign kept (ggml's loop keeps the first on ties)
    let i = start;
    while (Math.abs(data[i]) !== amax) i++;
    const iscale = f32(-127 / data[i]);
    // |f32(iscale · x)| <= 127: the clamp of the codes never bites below
    quantizeInt8RangeF32(data, start, end, iscale, codes);
    scales[b] = iscale;
  }
}
