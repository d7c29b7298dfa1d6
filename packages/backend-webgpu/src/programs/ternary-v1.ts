// Ternary matmul kernel v1, the reference: one invocation per output (m, n),
// decoding each 2-bit code as the CPU reference does; exact i32 sums per weight
// group for int8 activations, f32 sums for float32 activations.
import type { KernelLimits, Program } from "../program.js";
import { wgslBuffer, wgslMeta } from "../program.js";

/** Sizes and element offsets of one ternary matmul (all operands contiguous). */
export interface TernaryDims {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly groupSize: number;
  /** Element offsets of x, xScale, w, wScale in their buffers. */
  readonly offsets: readonly [number, number, number, number];
}

/**
 * `y[m,n] = Σ_g wScale[n,g] · (Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m]`; x int8 (held
 * as i32) when `intActivations`, else float32. Bindings: x, xScale, w, wScale, out.
 *
 * Metadata: `[M, N, K, wordsPerRow, G, groupSize, xOff, xsOff, wOff, wsOff]`.
 *
 * @example
 * ```ts
 * const { program, meta } = ternaryV1Program(true, { m: 1, n: 4, k: 64, groupSize: 64, offsets: [0, 0, 0, 0] }, limits);
 * ```
 */
export function ternaryV1Program(intActivations: boolean, d: TernaryDims, limits: KernelLimits): { program: Program; meta: Uint32Array } {
  const wpr = Math.ceil(d.k / 16);
  const G = Math.ceil(d.k / d.groupSize);
  const meta = Uint32Array.from([d.m, d.n, d.k, wpr, G, d.groupSize, ...d.offsets]);
  const side = limits.maxInvocations >= 64 ? 8 : 4;
  const xt = intActivations ? "i32" : "f32";
  const wgsl = /* wgsl */ `
${wgslBuffer(0, "x", xt, "read")}
${wgslBuffer(1, "xScale", "f32", "read")}
${wgslBuffer(2, "w", "u32", "read")}
${wgslBuffer(3, "wScale", "f32", "read")}
${wgslBuffer(4, "out", "f32", "write")}
${wgslMeta(5)}
@compute @workgroup_size(${side}, ${side}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let M = md[0];
  let N = md[1];
  let K = md[2];
  let wpr = md[3];
  let G = md[4];
  let gs = md[5];
  let n = gid.x;
  let m = gid.y;
  if (m >= M || n >= N) { return; }
  let xRow = md[6] + m * K;
  let wRow = md[8] + n * wpr;
  var y = 0.0;
  for (var g = 0u; g < G; g++) {
    var acc = ${xt}(0);
    let end = min(K, (g + 1u) * gs);
    for (var k = g * gs; k < end; k++) {
      let t = ${xt}((w[wRow + k / 16u] >> (2u * (k % 16u))) & 3u) - ${xt}(1);
      acc += t * x[xRow + k];
    }
    y += wScale[md[9] + n * G + g] * f32(acc);
  }
  out[m * N + n] = y / xScale[md[7] + m];
}`;
  return {
    program: {
      key: `ternary-v1:${xt}:${side}`,
      wgsl,
      workgroupSize: [side, side, 1],
      dispatch: [Math.ceil(d.n / side), Math.ceil(d.m / side), 1],
      bindings: ["read", "read", "read", "read", "write"],
    },
    meta,
  };
}
