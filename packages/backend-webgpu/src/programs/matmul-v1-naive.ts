// Matmul kernel v1, the reference: one invocation per output element, a plain
// loop over one K slice reading A and B through their strides. Kept to check v2 against.
import type { Layout } from "@bitnet-quantize/tensor";
import { type KernelLimits, type Program, wgslBuffer, wgslMeta } from "../program.js";
import { type MatmulDims, WGSL_BATCH_BASES, matmulMeta } from "./matmul-meta.js";

/**
 * `out[z, s, m, n] = Σ_{k in slice s} a[z, m, k] · b[z, k, n]` (float32; out
 * row-major `[batch, slices, M, N]`; one slice unless K exceeds `MATMUL_K_SLICE`).
 *
 * @example
 * ```ts
 * const { program, meta } = matmulV1Program(a.layout, b.layout, limits);
 * ```
 */
export function matmulV1Program(a: Layout, b: Layout, limits: KernelLimits): { program: Program; meta: Uint32Array; dims: MatmulDims } {
  const { dims, meta } = matmulMeta(a, b);
  const side = limits.maxInvocations >= 64 ? 8 : 4;
  const wgsl = /* wgsl */ `
${wgslBuffer(0, "A", "f32", "read")}
${wgslBuffer(1, "B", "f32", "read")}
${wgslBuffer(2, "out", "f32", "write")}
${wgslMeta(3)}
${WGSL_BATCH_BASES}
@compute @workgroup_size(${side}, ${side}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let M = md[0];
  let N = md[1];
  let n = gid.x;
  let m = gid.y;
  if (m >= M || n >= N) { return; }
  let bases = batchBases(batchOf(gid.z));
  let ks = kSlice(gid.z);
  var acc = 0.0;
  for (var k = ks.x; k < ks.y; k++) {
    acc += A[bases.x + m * md[4] + k * md[5]] * B[bases.y + k * md[6] + n * md[7]];
  }
  out[(gid.z * M + m) * N + n] = acc;
}`;
  return {
    program: {
      key: `matmul-v1:${side}`,
      wgsl,
      workgroupSize: [side, side, 1],
      dispatch: [Math.ceil(dims.n / side), Math.ceil(dims.m / side), dims.batch * dims.slices],
      bindings: ["read", "read", "write"],
    },
    meta,
    dims,
  };
}
