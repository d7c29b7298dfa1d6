// Matmul kernel v2: workgroup-shared tiles. A workgroup of TS x TS invocations
// computes a (TS·R) x (TS·R) output tile; each invocation an R x R block (rows
// and columns interleaved by TS), loading BK-deep slices of A and B into
// workgroup memory. Reads through strides; edges are zero-padded.
import type { Layout } from "@bitnet-quantize/tensor";
import { type KernelLimits, type Program, wgslBuffer, wgslMeta } from "../program.js";
import { type MatmulDims, WGSL_BATCH_BASES, matmulMeta } from "./matmul-meta.js";

/** Outputs per invocation along each axis. */
const R = 4;
/** Depth of a K slice. */
const BK = 8;

/**
 * Same contract as {@link matmulV1Program}, tiled.
 *
 * @example
 * ```ts
 * const { program, meta } = matmulV2Program(a.layout, b.layout, limits);
 * ```
 */
export function matmulV2Program(a: Layout, b: Layout, limits: KernelLimits): { program: Program; meta: Uint32Array; dims: MatmulDims } {
  const { dims, meta } = matmulMeta(a, b);
  const ts = limits.maxInvocations >= 256 && limits.maxWorkgroupSizeX >= 16 ? 16 : 8;
  const bm = ts * R;
  const nt = ts * ts;
  const loadsA = (bm * BK) / nt;
  const loadsB = (BK * bm) / nt;
  // Unrolled here rather than by the shader compiler: accumulators, A values
  // and B values are scalars (llvmpipe turns dynamically indexed private
  // arrays into per-lane memory, which is slow to compile and to run).
  const rows = [...Array(R).keys()];
  const accDecl = rows.map((i) => rows.map((j) => `  var c${i}${j} = 0.0;`).join("\n")).join("\n");
  const loadA = [...Array(loadsA).keys()]
    .map((q) => `    { let l = li + ${q * nt}u; let gm = row0 + l / ${BK}u; let gk = k0 + l % ${BK}u; var v = 0.0; if (gm < M && gk < kEnd) { v = A[bases.x + gm * aSM + gk * aSK]; } As[l] = v; }`)
    .join("\n");
  const loadB = [...Array(loadsB).keys()]
    .map((q) => `    { let l = li + ${q * nt}u; let gk = k0 + l / ${bm}u; let gn = col0 + l % ${bm}u; var v = 0.0; if (gk < kEnd && gn < N) { v = B[bases.y + gk * bSK + gn * bSN]; } Bs[l] = v; }`)
    .join("\n");
  const inner = [
    ...rows.map((i) => `      let a${i} = As[(lid.y + ${i * ts}u) * ${BK}u + kk];`),
    ...rows.map((j) => `      let b${j} = Bs[kk * ${bm}u + lid.x + ${j * ts}u];`),
    ...rows.flatMap((i) => rows.map((j) => `      c${i}${j} = fma(a${i}, b${j}, c${i}${j});`)),
  ].join("\n");
  const store = rows
    .flatMap((i) =>
      rows.map((j) => `  { let m = row0 + lid.y + ${i * ts}u; let n = col0 + lid.x + ${j * ts}u; if (m < M && n < N) { out[(wid.z * M + m) * N + n] = c${i}${j}; } }`),
    )
    .join("\n");
  const wgsl = /* wgsl */ `
${wgslBuffer(0, "A", "f32", "read")}
${wgslBuffer(1, "B", "f32", "read")}
${wgslBuffer(2, "out", "f32", "write")}
${wgslMeta(3)}
${WGSL_BATCH_BASES}
var<workgroup> As: array<f32, ${bm * BK}>; // [BM][BK]
var<workgroup> Bs: array<f32, ${BK * bm}>; // [BK][BN]
@compute @workgroup_size(${ts}, ${ts}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = md[0];
  let N = md[1];
  let aSM = md[4];
  let aSK = md[5];
  let bSK = md[6];
  let bSN = md[7];
  let bases = batchBases(batchOf(wid.z));
  let ks = kSlice(wid.z);
  let kEnd = ks.y;
  let row0 = wid.y * ${bm}u;
  let col0 = wid.x * ${bm}u;
${accDecl}
  for (var k0 = ks.x; k0 < kEnd; k0 += ${BK}u) {
${loadA}
${loadB}
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}u; kk++) {
${inner}
    }
    workgroupBarrier();
  }
${store}
}`;
  return {
    program: {
      key: `matmul-v2:${ts}`,
      wgsl,
      workgroupSize: [ts, ts, 1],
      dispatch: [Math.ceil(dims.n / bm), Math.ceil(dims.m / bm), dims.batch * dims.slices],
      bindings: ["read", "read", "write"],
    },
    meta,
    dims,
  };
}
