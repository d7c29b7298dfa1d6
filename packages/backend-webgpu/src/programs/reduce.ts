// Reduction programs: sum, prod, max, min (NaN propagates) and argmax/argmin
// (int32 index of the first extreme; a NaN counts as the extreme). The reduced
// axes are moved last; a "serial" variant loops per output element, a "tree"
// variant gives each output a workgroup that combines partials in shared memory.
import { type Layout, type ReduceOp } from "@bitnet-quantize/tensor";
import { type GpuDType, wgslTypeOf } from "../gpu-dtype.js";
import { coalesce } from "../layout-meta.js";
import {
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
import { wrapTo } from "./wrap.js";

/** Inner sizes from which each output element gets a whole workgroup. */
export const TREE_REDUCE_MIN_INNER = 128;

function identity(op: ReduceOp, t: string): string {
  switch (op) {
    case "sum":
      return `${t}(0)`;
    case "prod":
      return `${t}(1)`;
    case "max":
      return t === "f32" ? "negInf()" : t === "i32" ? "i32(-2147483648)" : "0u";
    case "min":
      return t === "f32" ? "posInf()" : t === "i32" ? "2147483647i" : "4294967295u";
    default:
      return `${t}(0)`;
  }
}

/** WGSL `combine(a, b)` for value reductions and `better(v, i, w, j)` for arg reductions. */
function combineFns(op: ReduceOp, t: string): string {
  const f = t === "f32";
  const nanOf = (x: string): string => (f ? `isNan(${x})` : "false");
  switch (op) {
    case "sum":
      return `fn combine(a: ${t}, b: ${t}) -> ${t} { return a + b; }`;
    case "prod":
      return `fn combine(a: ${t}, b: ${t}) -> ${t} { return a * b; }`;
    case "max":
    case "min":
      return `fn combine(a: ${t}, b: ${t}) -> ${t} {
  if (${nanOf("a")}) { return a; }
  if (${nanOf("b")}) { return b; }
  return ${op}(a, b);
}`;
    default: {
      const cmp = op === "argmax" ? ">" : "<";
      // is (w at j) better than (v at i)? i = 0xffffffff means "nothing yet"
      return `fn better(v: ${t}, i: u32, w: ${t}, j: u32) -> bool {
  if (i == 0xffffffffu) { return j != 0xffffffffu; }
  if (j == 0xffffffffu) { return false; }
  let vn = ${nanOf("v")};
  let wn = ${nanOf("w")};
  if (vn || wn) { return wn && (!vn || j < i); }
  return w ${cmp} v || (w == v && j < i);
}`;
    }
  }
}

/**
 * The reduction program over `axes` of a view of `dtype`. Output: the kept
 * dimensions, row-major; dtype int32 for arg reductions, else `dtype`.
 *
 * Metadata: `[outer, inner, nKept, nRed, keptShape, keptStrides, redShape, redStrides, offset]`.
 *
 * @example
 * ```ts
 * const { program, meta } = reduceProgram("sum", "float32", layout, [1], limits);
 * ```
 */
export function reduceProgram(
  op: ReduceOp,
  dtype: GpuDType,
  layout: Layout,
  axes: readonly number[],
  limits: KernelLimits,
): { program: Program; meta: Uint32Array } {
  const nd = layout.shape.length;
  const keptDims = [...Array(nd).keys()].filter((d) => !axes.includes(d));
  const kept = coalesce(
    keptDims.map((d) => layout.shape[d] as number),
    [keptDims.map((d) => layout.strides[d] as number)],
  );
  const red = coalesce(
    axes.map((d) => layout.shape[d] as number),
    [axes.map((d) => layout.strides[d] as number)],
  );
  const outer = kept.shape.reduce((a, b) => a * b, 1);
  const inner = red.shape.reduce((a, b) => a * b, 1);
  const nk = kept.shape.length;
  const nr = red.shape.length;
  const meta = Uint32Array.from([outer, inner, nk, nr, ...kept.shape, ...(kept.strides[0] as number[]), ...red.shape, ...(red.strides[0] as number[]), layout.offset]);

  const t = wgslTypeOf(dtype);
  const isArg = op === "argmax" || op === "argmin";
  const outType = isArg ? "i32" : t;
  const tree = inner >= TREE_REDUCE_MIN_INNER;
  const wg = tree ? Math.min(64, flatWorkgroupSize(limits)) : flatWorkgroupSize(limits);
  const head = /* wgsl */ `
${wgslBuffer(0, "x", t, "read")}
${wgslBuffer(1, "out", outType, "write")}
${wgslMeta(2)}
${WGSL_STRIDED}
${WGSL_IS_NAN}
${combineFns(op, t)}
fn baseOf(o: u32) -> u32 { return stridedOffset(o, md[2], 4u, 4u + md[2], md[4u + 2u * md[2] + 2u * md[3]]); }
fn innerOf(j: u32) -> u32 { return stridedOffset(j, md[3], 4u + 2u * md[2], 4u + 2u * md[2] + md[3], 0u); }`;
  const store = (v: string): string => (isArg ? `out[o] = i32(${v});` : `out[o] = ${wrapTo(dtype, v)};`);
  let body: string;
  if (!tree) {
    body = isArg
      ? `
  var bv = ${identity(op, t)};
  var bi = 0xffffffffu;
  for (var j = 0u; j < inner; j++) {
    let v = x[base + innerOf(j)];
    if (better(bv, bi, v, j)) { bv = v; bi = j; }
  }
  ${store("bi")}`
      : `
  var acc = ${identity(op, t)};
  for (var j = 0u; j < inner; j++) { acc = combine(acc, x[base + innerOf(j)]); }
  ${store("acc")}`;
    const wgsl = `${head}
@compute @workgroup_size(${wg})
fn main(${WGSL_FLAT_BUILTINS}) {
  let o = ${WGSL_GROUP_INDEX} * ${wg}u + lid;
  let outer = md[0];
  let inner = md[1];
  if (o >= outer) { return; }
  let base = baseOf(o);${body}
}`;
    return {
      program: { key: `reduce-serial:${op}:${dtype}:${wg}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: dispatch2d(Math.ceil(outer / wg), limits.maxWorkgroupsPerDimension), bindings: ["read", "write"] },
      meta,
    };
  }
  const shared = isArg ? `var<workgroup> sv: array<${t}, ${wg}>;\nvar<workgroup> si: array<u32, ${wg}>;` : `var<workgroup> sv: array<${t}, ${wg}>;`;
  body = isArg
    ? `
  var bv = ${identity(op, t)};
  var bi = 0xffffffffu;
  for (var j = lid; j < inner; j += ${wg}u) {
    let v = x[base + innerOf(j)];
    if (better(bv, bi, v, j)) { bv = v; bi = j; }
  }
  sv[lid] = bv;
  si[lid] = bi;
  workgroupBarrier();
  // one barrier, then invocation 0 combines the partials in order (a barrier
  // inside a loop makes llvmpipe's shader compile slow)
  if (lid == 0u && live) {
    for (var s = 1u; s < ${wg}u; s++) {
      if (better(bv, bi, sv[s], si[s])) { bv = sv[s]; bi = si[s]; }
    }
    ${store("bi")}
  }`
    : `
  var acc = ${identity(op, t)};
  for (var j = lid; j < inner; j += ${wg}u) { acc = combine(acc, x[base + innerOf(j)]); }
  sv[lid] = acc;
  workgroupBarrier();
  if (lid == 0u && live) {
    for (var s = 1u; s < ${wg}u; s++) { acc = combine(acc, sv[s]); }
    ${store("acc")}
  }`;
  const wgsl = `${head}
${shared}
@compute @workgroup_size(${wg})
fn main(${WGSL_FLAT_BUILTINS}) {
  let o = ${WGSL_GROUP_INDEX};
  let live = o < md[0];
  let inner = select(0u, md[1], live);
  let base = baseOf(o);${body}
}`;
  return {
    program: { key: `reduce-tree:${op}:${dtype}:${wg}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: dispatch2d(outer, limits.maxWorkgroupsPerDimension), bindings: ["read", "write"] },
    meta,
  };
}
