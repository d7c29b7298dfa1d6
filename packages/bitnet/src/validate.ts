// Shared checks for the quantizers: float dtypes only, finite values only
// (the first bad index is named), and option parsing.
import { type Tensor, deferCheck, isFloat, ne, sub } from "@bitnet-quantize/tensor";
import { QuantizationError } from "./errors.js";
import { type RoundingMode, isRoundingMode } from "./rounding.js";

/** Throws unless `x` is float32 or float64. */
export function checkFloat(op: string, name: string, x: Tensor): void {
  if (!isFloat(x.dtype)) throw new QuantizationError(`${op}: ${name} must be float32 or float64, got ${x.dtype}`);
}

/** Throws naming the first NaN or ±Infinity in row-major order. */
export function checkFinite(op: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) throw new QuantizationError(`${op}: ${name} has ${v} at index ${i}`);
  }
}

/**
 * The same check on a backend without synchronous reads (WebGPU): computed on
 * the device and thrown, as the same QuantizationError, at the next read of a
 * tensor on that backend.
 */
export function deferFiniteCheck(op: string, name: string, x: Tensor): void {
  deferCheck(ne(sub(x, x), 0), () => new QuantizationError(`${op}: ${name} has a NaN or infinite value`));
}

/** Validates eps (positive and finite) and returns it. */
export function checkEps(op: string, eps: number): number {
  if (!(eps > 0) || !Number.isFinite(eps)) throw new QuantizationError(`${op}: eps must be a positive finite number, got ${eps}`);
  return eps;
}

/** Validates a rounding mode and returns it. */
export function checkRounding(op: string, mode: unknown): RoundingMode {
  if (!isRoundingMode(mode)) throw new QuantizationError(`${op}: rounding must be "half-even" or "half-away", got ${String(mode)}`);
  return mode;
}
