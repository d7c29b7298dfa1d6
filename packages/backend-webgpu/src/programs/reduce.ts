// Reduction programs: sum, prod, max, min (NaN propagates) and argmax/argmin
// (int32 index of the first extreme; a NaN counts as the extreme). The reduced
// axes are moved last; a "serial" variant loops per output element, a "tree"
// variant gives each output a workgroup that combines partials in shared memory.
// Longer reductions are split: each workgroup reduces one chunk of at most
// SPLIT_LOOP_ITERATIONS per invocation into a partial, and further passes reduce
// the partials (arg reductions carry the index of each partial's extreme).
import { BackendError, type Layout, type ReduceOp } from "@bitnet-quantize/tensor";
import { type GpuDType, wgslTypeOf } from "../gpu-dtype.js";
import { coalesce } from "../layout-meta.js";
import {
  type KernelLimits,
  SPLIT_LOOP_ITERATIONS,
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

/** Workgroup size of the tree and split reductions. */
function treeWorkgroupSize(limits: KernelLimits): number {
  return Math.min(64, flatWorkgroupSize(limits));
}

/**
 * Elements one workgroup of the tree kernel reduces: beyond this along the
 * reduced axes, {@link reducePasses} splits the work.
 *
 * @example
 * ```ts
 * reduceChunk(limits); // 262144 where workgroups of 64 are allowed
 * ```
 */
export function reduceChunk(limits: KernelLimits): number {
  return treeWorkgroupSize(limits) * SPLIT_LOOP_ITERATIONS;
}

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
  const rm = reduceMeta(layout, axes);
  const { outer, inner } = rm;
  const meta = Uint32Array.from(rm.meta);

  const t = wgslTypeOf(dtype);
  const isArg = op === "argmax" || op === "argmin";
  const outType = isArg ? "i32" : t;
  const tree = inner >= TREE_REDUCE_MIN_INNER;
  const wg = tree ? treeWorkgroupSize(limits) : flatWorkgroupSize(limits);
  if (inner > reduceChunk(limits)) throw new BackendError(`webgpu ${op}: ${inner} elements per output need a split reduction (reducePasses)`);
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

/** Metadata of a reduction: kept and reduced dimensions coalesced. */
function reduceMeta(layout: Layout, axes: readonly number[]): { outer: number; inner: number; meta: number[] } {
  const nd = layout.shape.length;
  const keptDims = [...Array(nd).keys()].filter((d) => !axes.includes(d));
  const kept = coalesce(
    keptDims.map((d) => layout.shape[d]),
    [keptDims.map((d) => layout.strides[d])],
  );
  const red = coalesce(
    axes.map((d) => layout.shape[d]),
    [axes.map((d) => layout.strides[d])],
  );
  const outer = kept.shape.reduce((a, b) => a * b, 1);
  const inner = red.shape.reduce((a, b) => a * b, 1);
  const meta = [outer, inner, kept.shape.length, red.shape.length, ...kept.shape, ...kept.strides[0], ...red.shape, ...red.strides[0], layout.offset];
  return { outer, inner, meta };
}

/**
 * One pass of a split reduction. `chunks` partials per output: the pass writes
 * `outer * chunks` partial values (and, for arg reductions, the u32 index of
 * each partial's extreme) when `final` is false, else the result.
 *
 * @example
 * ```ts
 * const p: ReducePass = reducePasses("sum", "float32", layout, [0], limits)[0]!;
 * p.outputs; // outer * chunks
 * ```
 */
export interface ReducePass {
  readonly program: Program;
  readonly meta: Uint32Array;
  /** Elements the pass writes. */
  readonly outputs: number;
  /** Whether the pass reads an index buffer (partials of an arg reduction). */
  readonly readsIndex: boolean;
  /** Whether the pass writes the reduction's result (else partials). */
  readonly final: boolean;
}

function splitProgram(op: ReduceOp, dtype: GpuDType, wg: number, readsIndex: boolean, final: boolean, groups: number, limits: KernelLimits): Program {
  const t = wgslTypeOf(dtype);
  const isArg = op === "argmax" || op === "argmin";
  const outType = isArg ? "i32" : t;
  const bindings: ("read" | "write")[] = [];
  const decls: string[] = [];
  const bind = (name: string, type: string, kind: "read" | "write"): void => {
    decls.push(wgslBuffer(bindings.length, name, type, kind));
    bindings.push(kind);
  };
  bind("x", t, "read");
  if (readsIndex) bind("xi", "u32", "read");
  if (final) bind("out", outType, "write");
  else {
    bind("pv", t, "write");
    if (isArg) bind("pi", "u32", "write");
  }
  const indexOf = (j: string): string => (readsIndex ? `xi[base + innerOf(${j})]` : j);
  const store = final
    ? isArg
      ? "out[o] = i32(bi);"
      : `out[o] = ${wrapTo(dtype, "acc")};`
    : isArg
      ? "pv[g] = bv;\n    pi[g] = bi;"
      : "pv[g] = acc;";
  const shared = isArg ? `var<workgroup> sv: array<${t}, ${wg}>;\nvar<workgroup> si: array<u32, ${wg}>;` : `var<workgroup> sv: array<${t}, ${wg}>;`;
  const body = isArg
    ? `
  var bv = ${identity(op, t)};
  var bi = 0xffffffffu;
  for (var j = j0 + lid; j < j1; j += ${wg}u) {
    let v = x[base + innerOf(j)];
    let i = ${indexOf("j")};
    if (better(bv, bi, v, i)) { bv = v; bi = i; }
  }
  sv[lid] = bv;
  si[lid] = bi;
  workgroupBarrier();
  if (lid == 0u && live) {
    for (var s = 1u; s < ${wg}u; s++) {
      if (better(bv, bi, sv[s], si[s])) { bv = sv[s]; bi = si[s]; }
    }
    ${store}
  }`
    : `
  var acc = ${identity(op, t)};
  for (var j = j0 + lid; j < j1; j += ${wg}u) { acc = combine(acc, x[base + innerOf(j)]); }
  sv[lid] = acc;
  workgroupBarrier();
  if (lid == 0u && live) {
    for (var s = 1u; s < ${wg}u; s++) { acc = combine(acc, sv[s]); }
    ${store}
  }`;
  const wgsl = /* wgsl */ `
${decls.join("\n")}
${wgslMeta(bindings.length)}
${WGSL_STRIDED}
${WGSL_IS_NAN}
${combineFns(op, t)}
fn baseOf(o: u32) -> u32 { return stridedOffset(o, md[2], 4u, 4u + md[2], md[4u + 2u * md[2] + 2u * md[3]]); }
fn innerOf(j: u32) -> u32 { return stridedOffset(j, md[3], 4u + 2u * md[2], 4u + 2u * md[2] + md[3], 0u); }
${shared}
@compute @workgroup_size(${wg})
fn main(${WGSL_FLAT_BUILTINS}) {
  let g = ${WGSL_GROUP_INDEX};
  let at = 5u + 2u * md[2] + 2u * md[3];
  let chunks = md[at];
  let chunk = md[at + 1u];
  let o = g / chunks;
  let c = g % chunks;
  let live = o < md[0];
  let j0 = c * chunk;
  let j1 = select(0u, min(md[1], j0 + chunk), live);
  let base = baseOf(o);${body}
}`;
  return {
    key: `reduce-split:${op}:${dtype}:${wg}:${readsIndex ? "i" : "-"}:${final ? "final" : "partial"}`,
    wgsl,
    workgroupSize: [wg, 1, 1],
    dispatch: dispatch2d(groups, limits.maxWorkgroupsPerDimension),
    bindings,
  };
}

/**
 * The passes of a reduction over `axes`: one pass (the serial or tree program
 * of {@link reduceProgram}) where each output's elements fit one workgroup's
 * bounded loops, else split passes that reduce chunks of
 * {@link reduceChunk} elements to partials until one partial per output is
 * left. No invocation loops more than {@link SPLIT_LOOP_ITERATIONS} times.
 *
 * @example
 * ```ts
 * const passes = reducePasses("sum", "float32", contiguousLayout([1_500_000]), [0], limits);
 * passes.length; // 2: 6 partials, then the sum
 * ```
 */
export function reducePasses(op: ReduceOp, dtype: GpuDType, layout: Layout, axes: readonly number[], limits: KernelLimits): ReducePass[] {
  const chunkSize = reduceChunk(limits);
  const first = reduceMeta(layout, axes);
  if (first.inner <= chunkSize) {
    const { program, meta } = reduceProgram(op, dtype, layout, axes, limits);
    return [{ program, meta, outputs: first.outer, readsIndex: false, final: true }];
  }
  const isArg = op === "argmax" || op === "argmin";
  const wg = treeWorkgroupSize(limits);
  const passes: ReducePass[] = [];
  const { outer } = first;
  let meta = first.meta;
  let inner = first.inner;
  let readsIndex = false;
  for (;;) {
    const chunks = Math.ceil(inner / chunkSize);
    const final = chunks === 1;
    const groups = outer * chunks;
    passes.push({
      program: splitProgram(op, dtype, wg, readsIndex, final, groups, limits),
      meta: Uint32Array.from([...meta, chunks, chunkSize]),
      outputs: final ? outer : groups,
      readsIndex,
      final,
    });
    if (final) return passes;
    // the partials: [outer, chunks], row-major
    meta = [outer, chunks, 1, 1, outer, chunks, chunks, 1, 0];
    inner = chunks;
    readsIndex = isArg;
  }
}
