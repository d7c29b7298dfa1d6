// The where program: `out[i] = cond[i] != 0 ? a[i] : b[i]` over strided views
// (cond is uint8, held as u32). Runs via map.ts.
import type { Layout } from "@bitnet-quantize/tensor";
import { type GpuDType, wgslTypeOf } from "../gpu-dtype.js";
import type { KernelLimits, Program } from "../program.js";
import { mapProgram } from "./map.js";

/**
 * The where program for a and b of `dtype`; all three layouts share a shape.
 *
 * @example
 * ```ts
 * const { program, meta } = whereProgram("float32", lc, la, lb, limits);
 * ```
 */
export function whereProgram(dtype: GpuDType, cond: Layout, a: Layout, b: Layout, limits: KernelLimits): { program: Program; meta: Uint32Array } {
  const t = wgslTypeOf(dtype);
  return mapProgram(
    {
      name: `where-${dtype}`,
      inputs: [
        { type: "u32", layout: cond },
        { type: t, layout: a },
        { type: t, layout: b },
      ],
      outType: t,
      expr: ([c, x, y]) => `select(${y}, ${x}, ${c} != 0u)`,
    },
    cond.shape,
    limits,
  );
}
