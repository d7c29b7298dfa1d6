// WGSL wrapping of integer results to their dtype's range, as typed arrays
// wrap on store (int8 and uint8 live in 32-bit words on the GPU). Nothing else.
import type { GpuDType } from "../gpu-dtype.js";

/**
 * Wraps a WGSL i32/u32 expression to `dtype`'s range: int8 sign-extends the
 * low byte, uint8 keeps it; other dtypes are unchanged.
 *
 * @example
 * ```ts
 * wrapTo("int8", "v"); // "((v) << 24u) >> 24u"
 * ```
 */
export function wrapTo(dtype: GpuDType, expr: string): string {
  if (dtype === "int8") return `((${expr}) << 24u) >> 24u`;
  if (dtype === "uint8") return `((${expr}) & 255u)`;
  return expr;
}
