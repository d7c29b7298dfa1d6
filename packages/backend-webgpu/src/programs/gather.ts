// Gather and its adjoint scatterAdd. scatterAdd uses no atomics (WGSL has no
// float atomics): each output element loops over the index positions that can
// land on it, in index order, as the CPU backend adds them.
import { BackendError, type Layout } from "@bitnet-quantize/tensor";
import { type GpuDType, wgslTypeOf } from "../gpu-dtype.js";
import { type KernelLimits, MAX_LOOP_ITERATIONS, type Program, WGSL_FLAT_BUILTINS, WGSL_GROUP_INDEX, dispatch2d, flatWorkgroupSize, wgslBuffer, wgslMeta } from "../program.js";
import { wrapTo } from "./wrap.js";

/**
 * `out[p] = x[p with coordinate axis replaced by index[p]]` for p over index's
 * shape (out is row-major in it). An index out of range writes 0.
 *
 * Metadata: `[count, ndim, axis, indexShape, indexStrides, indexOffset, xStrides, xOffset, xAxisSize]`.
 *
 * @example
 * ```ts
 * const { program, meta } = gatherProgram("float32", x.layout, 1, index.layout, limits);
 * ```
 */
export function gatherProgram(dtype: GpuDType, x: Layout, axis: number, index: Layout, limits: KernelLimits): { program: Program; meta: Uint32Array } {
  const nd = index.shape.length;
  const count = index.shape.reduce((a, b) => a * b, 1);
  const meta = Uint32Array.from([count, nd, axis, ...index.shape, ...index.strides, index.offset, ...x.strides, x.offset, x.shape[axis]]);
  const t = wgslTypeOf(dtype);
  const wg = flatWorkgroupSize(limits);
  const wgsl = /* wgsl */ `
${wgslBuffer(0, "x", t, "read")}
${wgslBuffer(1, "index", "i32", "read")}
${wgslBuffer(2, "out", t, "write")}
${wgslMeta(3)}
@compute @workgroup_size(${wg})
fn main(${WGSL_FLAT_BUILTINS}) {
  let p = ${WGSL_GROUP_INDEX} * ${wg}u + lid;
  if (p >= md[0]) { return; }
  let nd = md[1];
  let axis = md[2];
  let idxStridesAt = 3u + nd;
  let xStridesAt = 4u + 2u * nd;
  var rem = p;
  var ioff = md[3u + 2u * nd];
  var coords: array<u32, 16>;
  for (var d = i32(nd) - 1; d >= 0; d--) {
    let s = md[3u + u32(d)];
    coords[d] = rem % s;
    rem = rem / s;
    ioff += coords[d] * md[idxStridesAt + u32(d)];
  }
  let idx = index[ioff];
  if (idx < 0 || u32(idx) >= md[5u + 3u * nd]) { out[p] = ${t}(0); return; }
  var xoff = md[4u + 3u * nd];
  for (var d = 0u; d < nd; d++) {
    let c = select(coords[d], u32(idx), d == axis);
    xoff += c * md[xStridesAt + d];
  }
  out[p] = x[xoff];
}`;
  return {
    program: { key: `gather:${dtype}:${wg}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: dispatch2d(Math.ceil(count / wg), limits.maxWorkgroupsPerDimension), bindings: ["read", "read", "write"] },
    meta,
  };
}

/**
 * A zero tensor of `shape` (row-major) plus `src[p]` at p with coordinate
 * axis replaced by `index[p]`, for p over index's shape (= src's shape).
 *
 * Metadata: `[count, ndim, axis, outShape, indexShape, indexStrides, indexOffset, srcStrides, srcOffset]`.
 *
 * @example
 * ```ts
 * const { program, meta } = scatterAddProgram("float32", [3], 0, index.layout, src.layout, limits);
 * ```
 */
export function scatterAddProgram(
  dtype: GpuDType,
  shape: readonly number[],
  axis: number,
  index: Layout,
  src: Layout,
  limits: KernelLimits,
): { program: Program; meta: Uint32Array } {
  const nd = shape.length;
  const count = shape.reduce((a, b) => a * b, 1);
  const n = index.shape[axis] ?? 0;
  if (n > MAX_LOOP_ITERATIONS) {
    throw new BackendError(`webgpu scatterAdd: ${n} index positions along axis ${axis} exceed the ${MAX_LOOP_ITERATIONS} one invocation may loop over; scatter on the CPU backend`);
  }
  const meta = Uint32Array.from([count, nd, axis, ...shape, ...index.shape, ...index.strides, index.offset, ...src.strides, src.offset]);
  const t = wgslTypeOf(dtype);
  const wg = flatWorkgroupSize(limits);
  const wgsl = /* wgsl */ `
${wgslBuffer(0, "index", "i32", "read")}
${wgslBuffer(1, "src", t, "read")}
${wgslBuffer(2, "out", t, "write")}
${wgslMeta(3)}
@compute @workgroup_size(${wg})
fn main(${WGSL_FLAT_BUILTINS}) {
  let o = ${WGSL_GROUP_INDEX} * ${wg}u + lid;
  if (o >= md[0]) { return; }
  let nd = md[1];
  let axis = md[2];
  let outShapeAt = 3u;
  let idxShapeAt = 3u + nd;
  let idxStridesAt = 3u + 2u * nd;
  let srcStridesAt = 4u + 3u * nd;
  var rem = o;
  var ioff = md[3u + 3u * nd];
  var soff = md[4u + 4u * nd];
  var tgt = 0u;
  for (var d = i32(nd) - 1; d >= 0; d--) {
    let du = u32(d);
    let s = md[outShapeAt + du];
    let c = rem % s;
    rem = rem / s;
    if (du == axis) {
      tgt = c;
    } else {
      if (c >= md[idxShapeAt + du]) { out[o] = ${t}(0); return; }
      ioff += c * md[idxStridesAt + du];
      soff += c * md[srcStridesAt + du];
    }
  }
  let n = md[idxShapeAt + axis];
  let istep = md[idxStridesAt + axis];
  let sstep = md[srcStridesAt + axis];
  var acc = ${t}(0);
  for (var j = 0u; j < n; j++) {
    if (index[ioff + j * istep] == i32(tgt)) { acc = acc + src[soff + j * sstep]; }
  }
  out[o] = ${wrapTo(dtype, "acc")};
}`;
  return {
    program: { key: `scatter-add:${dtype}:${wg}`, wgsl, workgroupSize: [wg, 1, 1], dispatch: dispatch2d(Math.ceil(count / wg), limits.maxWorkgroupsPerDimension), bindings: ["read", "read", "write"] },
    meta,
  };
}
