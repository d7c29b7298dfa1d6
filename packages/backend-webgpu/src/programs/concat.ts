// Concat as one strided copy per input into its slab of the output: input i
// is read through its own layout and written through the output's row-major
// strides, offset by the sizes of the inputs before it along the axis.
import { type Layout, contiguousStrides } from "@bitnet-quantize/tensor";
import type { GpuDType } from "../gpu-dtype.js";
import type { KernelLimits, Program } from "../program.js";
import { castProgram } from "./cast.js";

/**
 * The output shape and, per non-empty input, the copy program (binding: input,
 * output) that writes it into place. Inputs agree on every dimension but `axis`.
 *
 * @example
 * ```ts
 * const { shape, copies } = concatPrograms("float32", [a.layout, b.layout], 1, limits);
 * ```
 */
export function concatPrograms(
  dtype: GpuDType,
  inputs: readonly Layout[],
  axis: number,
  limits: KernelLimits,
): { shape: number[]; copies: { input: number; program: Program; meta: Uint32Array }[] } {
  const first = inputs[0];
  const shape = [...first.shape];
  shape[axis] = inputs.reduce((s, l) => s + l.shape[axis], 0);
  const strides = contiguousStrides(shape);
  const copies: { input: number; program: Program; meta: Uint32Array }[] = [];
  let pos = 0;
  inputs.forEach((layout, input) => {
    const outLayout: Layout = { shape: layout.shape, strides, offset: pos * strides[axis] };
    if (layout.shape.every((d) => d > 0)) copies.push({ input, ...castProgram(dtype, dtype, layout, limits, outLayout) });
    pos += layout.shape[axis];
  });
  return { shape, copies };
}
