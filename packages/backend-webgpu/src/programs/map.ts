// The one-thread-per-element program: reads n strided inputs, applies a WGSL
// expression, writes one output (contiguous or strided). Elementwise ops,
// where, cast, contiguous and concat are all instances. Not the op semantics.
import type { Layout } from "@bitnet-quantize/tensor";
import { coalesce } from "../layout-meta.js";
import {
  type BindingKind,
  type KernelLimits,
  type Program,
  WGSL_FLAT_BUILTINS,
  WGSL_GROUP_INDEX,
  WGSL_IS_NAN,
  WGSL_STRIDED,
  dispatch2d,
  flatWorkgroupSize,
  wgslBuffer,
  wgslMeta,
} from "../program.js";
import type { WgslScalar } from "../gpu-dtype.js";

/** One input of a map program: its WGSL element type and layout. */
export interface MapInput {
  readonly type: WgslScalar;
  readonly layout: Layout;
}

/**
 * What a map program computes: `out[i] = expr(in0[i], in1[i], ...)`.
 *
 * @example
 * ```ts
 * const spec: MapSpec = { name: "unary-neg", inputs: [{ type: "f32", layout }], outType: "f32", expr: ([x]) => `-${x}` };
 * ```
 */
export interface MapSpec {
  /** A name unique per expression (it is part of the cache key). */
  readonly name: string;
  readonly inputs: readonly MapInput[];
  readonly outType: WgslScalar;
  /** WGSL expression of the input values (named by the strings given). */
  readonly expr: (values: readonly string[]) => string;
  /** Extra WGSL functions the expression calls. */
  readonly helpers?: string;
  /** Where to write: contiguous from 0 (default), or through this layout (same shape as the inputs). */
  readonly outLayout?: Layout;
}

/**
 * Builds the map program and its metadata for `shape` (every input has it).
 * Dimensions are coalesced first; a contiguous operand reads `base + i`.
 *
 * Metadata: `[count, ndim, shape[ndim], (strides[ndim], offset) per input, (strides, offset) of out]`.
 *
 * @example
 * ```ts
 * const { program, meta } = mapProgram(spec, [2, 3], limits);
 * ```
 */
export function mapProgram(spec: MapSpec, shape: readonly number[], limits: KernelLimits): { program: Program; meta: Uint32Array } {
  const count = shape.reduce((a, b) => a * b, 1);
  const layouts = spec.inputs.map((x) => x.layout);
  if (spec.outLayout !== undefined) layouts.push(spec.outLayout);
  const merged = coalesce(shape, layouts.map((l) => l.strides));
  const ndim = merged.shape.length;
  const contiguous = merged.strides.map((s) => ndim === 0 || (ndim === 1 && s[0] === 1));
  const meta: number[] = [count, ndim, ...merged.shape];
  layouts.forEach((l, k) => meta.push(...merged.strides[k], l.offset));

  const wg = flatWorkgroupSize(limits);
  const n = spec.inputs.length;
  const flags = contiguous.map((c) => (c ? "c" : "s")).join("");
  const key = `map:${spec.name}:${spec.inputs.map((x) => x.type).join(",")}->${spec.outType}:${flags}:${spec.outLayout === undefined ? "o" : "w"}:${wg}`;
  // the source only when the pipeline cache misses (once per key): a decode step dispatches thousands of maps
  const source = (): string => {
    const decls: string[] = spec.inputs.map((x, k) => wgslBuffer(k, `in${k}`, x.type, "read"));
    decls.push(wgslBuffer(n, "out", spec.outType, "write"), wgslMeta(n + 1));
    const index = (k: number): string => {
      const base = `(2u + ndim + ${k}u * (ndim + 1u))`;
      return contiguous[k] === true ? `md[${base} + ndim] + i` : `stridedOffset(i, ndim, 2u, ${base}, md[${base} + ndim])`;
    };
    const names = spec.inputs.map((_, k) => `v${k}`);
    const reads = spec.inputs.map((_, k) => `  let v${k} = in${k}[${index(k)}];`).join("\n");
    const outIndex = spec.outLayout === undefined ? "i" : index(n);
    return /* wgsl */ `
${decls.join("\n")}
${WGSL_STRIDED}
${WGSL_IS_NAN}
${spec.helpers ?? ""}
@compute @workgroup_size(${wg})
fn main(${WGSL_FLAT_BUILTINS}) {
  let i = ${WGSL_GROUP_INDEX} * ${wg}u + lid;
  if (i >= md[0]) { return; }
  let ndim = md[1];
${reads}
  out[${outIndex}] = ${spec.expr(names)};
}`;
  };
  const bindings: BindingKind[] = [...spec.inputs.map((): BindingKind => "read"), "write"];
  return {
    program: {
      key,
      get wgsl() {
        return source();
      },
      workgroupSize: [wg, 1, 1],
      dispatch: dispatch2d(Math.ceil(count / wg), limits.maxWorkgroupsPerDimension),
      bindings,
    },
    meta: Uint32Array.from(meta),
  };
}
