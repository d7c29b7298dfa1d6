// Ternary matmul kernel v2: activations are first repacked (int8: four per u32
// word, for dot4I8Packed; float32: rows padded to whole 16-code words), then a
// workgroup computes a block of ROWS weight rows x MB activation rows, its
// invocations striding over the u32 code words of those rows and combining the
// partial sums in workgroup memory. Needs groupSize % 16 == 0 or one group.
import type { Layout } from "@bitnet-quantize/tensor";
import { type KernelLimits, type Program, WGSL_FLAT_BUILTINS, WGSL_GROUP_INDEX, dispatch2d, flatWorkgroupSize, wgslBuffer, wgslMeta } from "../program.js";
import type { TernaryDims } from "./ternary-v1.js";

/** Weight rows per workgroup. */
const ROWS = 4;

/**
 * True when v2 handles this grouping: every 16-code word lies in one group.
 *
 * @example
 * ```ts
 * ternaryV2Supports(4096, 128); // true
 * ternaryV2Supports(100, 10); // false
 * ```
 */
export function ternaryV2Supports(k: number, groupSize: number): boolean {
  return groupSize % 16 === 0 || groupSize >= k;
}

/**
 * The repacking pass: x `[M, K]` (any strides) to `[M, wordsPerRow · 4]` u32
 * words of four int8 each (int path) or `[M, wordsPerRow · 16]` f32 (float
 * path), zero past K.
 *
 * Metadata: `[M, K, wordsPerRow, strideM, strideK, offset]`.
 *
 * @example
 * ```ts
 * const { program, meta, length } = ternaryV2PrepareProgram(true, x.layout, 64, limits);
 * ```
 */
export function ternaryV2PrepareProgram(
  intActivations: boolean,
  x: Layout,
  k: number,
  limits: KernelLimits,
): { program: Program; meta: Uint32Array; length: number } {
  const m = x.shape[0];
  const wpr = Math.ceil(k / 16);
  const perRow = intActivations ? wpr * 4 : wpr * 16;
  const length = m * perRow;
  const meta = Uint32Array.from([m, k, wpr, x.strides[0], x.strides[1], x.offset]);
  const wg = flatWorkgroupSize(limits);
  const body = intActivations
    ? `
  let m = i / (wpr * 4u);
  let k0 = (i % (wpr * 4u)) * 4u;
  var word = 0u;
  for (var b = 0u; b < 4u; b++) {
    let k = k0 + b;
    if (k < K) { word = word | ((bitcast<u32>(x[md[5] + m * md[3] + k * md[4]]) & 255u) << (8u * b)); }
  }
  out[i] = word;`
    : `
  let m = i / (wpr * 16u);
  let k = i % (wpr * 16u);
  var v = 0.0;
  if (k < K) { v = x[md[5] + m * md[3] + k * md[4]]; }
  out[i] = v;`;
  const wgsl = /* wgsl */ `
${wgslBuffer(0, "x", intActivations ? "i32" : "f32", "read")}
${wgslBuffer(1, "out", intActivations ? "u32" : "f32", "write")}
${wgslMeta(2)}
@compute @workgroup_size(${wg})
fn main(${WGSL_FLAT_BUILTINS}) {
  let i = ${WGSL_GROUP_INDEX} * ${wg}u + lid;
  let K = md[1];
  let wpr = md[2];
  if (i >= md[0] * wpr * ${intActivations ? 4 : 16}u) { return; }${body}
}`;
  return {
    program: {
      key: `ternary-v2-prepare:${intActivations ? "i8" : "f32"}:${wg}`,
      wgsl,
      workgroupSize: [wg, 1, 1],
      dispatch: dispatch2d(Math.ceil(length / wg), limits.maxWorkgroupsPerDimension),
      bindings: ["read", "write"],
    },
    meta,
    length,
  };
}

/**
 * The main pass over prepared activations: bindings xPrepared, xScale, w,
 * wScale, out. With `dot4` the int path decodes four codes at a time into
 * signed bytes and uses `dot4I8Packed`; without it, it decodes code by code.
 *
 * Metadata: `[M, N, K, wordsPerRow, G, groupSize, xsOff, wOff, wsOff]`.
 *
 * @example
 * ```ts
 * const { program, meta } = ternaryV2Program(true, true, dims, limits);
 * ```
 */
export function ternaryV2Program(intActivations: boolean, dot4: boolean, d: TernaryDims, limits: KernelLimits): { program: Program; meta: Uint32Array } {
  const wpr = Math.ceil(d.k / 16);
  const G = Math.ceil(d.k / d.groupSize);
  const meta = Uint32Array.from([d.m, d.n, d.k, wpr, G, d.groupSize, d.offsets[1], d.offsets[2], d.offsets[3]]);
  // at least 8 words per invocation where the rows are short, so that the
  // partial sums' combine does not dominate; 16..64 invocations
  let wg = 16;
  while (wg < 64 && wg * 8 < wpr) wg *= 2;
  wg = Math.min(wg, flatWorkgroupSize(limits));
  const mb = d.m === 1 ? 1 : 4;
  const slots = ROWS * mb;
  const useDot4 = intActivations && dot4;
  const wordDot = intActivations
    ? useDot4
      ? /* wgsl */ `
// four 2-bit codes (one byte of the word) spread to four signed bytes t = code - 1:
// each byte becomes 0x80 + code - 1 (no borrow crosses bytes), then the 0x80 is flipped off
fn ternBytes(word: u32, j: u32) -> u32 {
  let b = (word >> (8u * j)) & 255u;
  let s = (b & 3u) | ((b & 12u) << 6u) | ((b & 48u) << 12u) | ((b & 192u) << 18u);
  return ((s | 0x80808080u) - 0x01010101u) ^ 0x80808080u;
}
fn wordDot(word: u32, xBase: u32) -> f32 {
  var s = 0i;
  for (var j = 0u; j < 4u; j++) { s += dot4I8Packed(ternBytes(word, j), xp[xBase + j]); }
  return f32(s);
}`
      : /* wgsl */ `
fn wordDot(word: u32, xBase: u32) -> f32 {
  var s = 0i;
  for (var j = 0u; j < 4u; j++) {
    let xw = xp[xBase + j];
    for (var b = 0u; b < 4u; b++) {
      let t = i32((word >> (2u * (4u * j + b))) & 3u) - 1;
      s += t * (bitcast<i32>(xw << (24u - 8u * b)) >> 24u);
    }
  }
  return f32(s);
}`
    : /* wgsl */ `
fn wordDot(word: u32, xBase: u32) -> f32 {
  var s = 0.0;
  for (var c = 0u; c < 16u; c++) {
    s = fma(f32((word >> (2u * c)) & 3u) - 1.0, xp[xBase + c], s);
  }
  return s;
}`;
  const xWords = intActivations ? 4 : 16;
  const wgsl = /* wgsl */ `
${useDot4 ? "requires packed_4x8_integer_dot_product;" : ""}
${wgslBuffer(0, "xp", intActivations ? "u32" : "f32", "read")}
${wgslBuffer(1, "xScale", "f32", "read")}
${wgslBuffer(2, "w", "u32", "read")}
${wgslBuffer(3, "wScale", "f32", "read")}
${wgslBuffer(4, "out", "f32", "write")}
${wgslMeta(5)}
${wordDot}
var<workgroup> partial: array<f32, ${slots * wg}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = md[0];
  let N = md[1];
  let wpr = md[3];
  let G = md[4];
  let gs = md[5];
  let n0 = wid.x * ${ROWS}u;
  let m0 = wid.y * ${mb}u;
  var acc: array<f32, ${slots}>;
  for (var q = lid; q < wpr; q += ${wg}u) {
    let g = min((q * 16u) / gs, G - 1u);
    var words: array<u32, ${ROWS}>;
    var scales: array<f32, ${ROWS}>;
    for (var r = 0u; r < ${ROWS}u; r++) {
      let n = min(n0 + r, N - 1u);
      words[r] = w[md[7] + n * wpr + q];
      scales[r] = wScale[md[8] + n * G + g];
    }
    for (var i = 0u; i < ${mb}u; i++) {
      let m = min(m0 + i, M - 1u);
      let xBase = (m * wpr + q) * ${xWords}u;
      for (var r = 0u; r < ${ROWS}u; r++) {
        acc[r * ${mb}u + i] += scales[r] * wordDot(words[r], xBase);
      }
    }
  }
  for (var s = 0u; s < ${slots}u; s++) { partial[s * ${wg}u + lid] = acc[s]; }
  workgroupBarrier();
  // one barrier, then one invocation per output sums the partials (a barrier
  // inside a loop makes llvmpipe's shader compile slow)
  if (lid < ${slots}u) {
    var y = 0.0;
    for (var t = 0u; t < ${wg}u; t++) { y += partial[lid * ${wg}u + t]; }
    let r = lid / ${mb}u;
    let i = lid % ${mb}u;
    let n = n0 + r;
    let m = m0 + i;
    if (n < N && m < M) { out[m * N + n] = y / xScale[md[6] + m]; }
  }
}`;
  return {
    program: {
      key: `ternary-v2:${intActivations ? "i8" : "f32"}:${useDot4 ? "dot4" : "scalar"}:${mb}:${wg}`,
      wgsl,
      workgroupSize: [wg, 1, 1],
      dispatch: [Math.ceil(d.n / ROWS), Math.ceil(d.m / mb), 1],
      bindings: ["read", "read", "read", "read", "write"],
    },
    meta,
  };
}
