// llama.cpp's ternary dot product, bit for bit: `ggml_vec_dot_tq2_0_q8_K` of
// its CPU backend (b4747, the AVX2 loop), which multiplies a TQ2_0 weight row
// by a Q8_K activation row, on our packed words. Its integer sums are exact
// in any order, but its float accumulation is not: 8 int32 lanes per block of
// 256, each turned into a float and fused-multiply-added into its own float32
// accumulator, then a fixed horizontal sum. A fast lookup-table kernel and
// its plain reference twin; not the default ternary matmul (ternary-matmul.ts),
// whose float rescale is one multiply per group.
//
// Shapes: x int8 [M, K] (Q8_K codes), xd float32 [M, K/256] (each Q8_K
// block's d = 1/iscale), words [N, K/16] (packed-format.ts), wd float32
// [N, K/256] (each TQ2_0 block's d, fp16 in the file, as float32),
// out float32 [M, N]; K a multiple of 256.
//
// The dot, per block b of 256: int32 lane l (0..7) is
//   Σ over i in the block with (i mod 32) in [4l, 4l+4) of code_i · q_i
//   − Σ q_i over i in [32l, 32l+32) of the block
// (code = t + 1: the AVX2 loop multiplies unsigned codes with maddubs, its
// 16-bit lanes pair adjacent bytes, and it subtracts the Q8_K block's bsums
// afterwards, which are sums of 16 consecutive q); then
//   acc_l = fmaf((float)lane_l, f32(xd_b · wd_b), acc_l)   (blocks in order)
// and the result is hsum_float_8: r_k = acc_{4+k} + acc_k, then
// (r0 + r2) + (r1 + r3), all float32.
import { ArgumentError } from "../errors.js";
import { fmaF32, fmaF32Reference } from "../scalar/fma-f32.js";
import { wordsPerRow } from "./packed-format.js";
import { scratchTable } from "./scratch.js";

/** Values per Q8_K and TQ2_0 block (QK_K). */
const QK = 256;
/** Float32 lanes of the AVX2 accumulator. */
const LANES = 8;
const f32 = Math.fround;

/** Throws unless the arrays fit [M, K] x [N, K] -> [M, N] with K a multiple of 256. */
function checkArgs(op: string, x: Int8Array, xd: Float32Array, words: Uint32Array, wd: Float32Array, M: number, N: number, K: number, out: Float32Array): void {
  for (const [name, v] of [["M", M], ["N", N], ["K", K]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ArgumentError(`${op}: ${name} must be a non-negative integer, got ${v}`);
  }
  if (K % QK !== 0) throw new ArgumentError(`${op}: K (${K}) must be a multiple of ${QK} (Q8_K and TQ2_0 blocks)`);
  const B = K / QK;
  const expect = (name: string, got: number, want: number, shape: string): void => {
    if (got !== want) throw new ArgumentError(`${op}: ${name} has ${got} elements; expected ${shape} = ${want}`);
  };
  expect("x", x.length, M * K, `[M, K] = [${M}, ${K}]`);
  expect("xd", xd.length, M * B, `[M, K/256] = [${M}, ${B}]`);
  expect("words", words.length, N * wordsPerRow(K), `[N, K/16] = [${N}, ${wordsPerRow(K)}]`);
  expect("wd", wd.length, N * B, `[N, K/256] = [${N}, ${B}]`);
  expect("out", out.length, M * N, `[M, N] = [${M}, ${N}]`);
}

/**
 * llama.cpp's `ggml_vec_dot_tq2_0_q8_K` for every pair of rows:
 * `out[m, n]` = the dot of Q8_K activations (codes `x[m]`, block scales
 * `xd[m]`) with the packed ternary weights `words[n]` (block scales `wd[n]`),
 * accumulated in the CPU backend's float order, so that the result equals
 * llama.cpp's bit for bit (see the file's header). K must be a multiple of
 * 256. A per-tensor weight scale (a GGUF `.scale` tensor) is not part of
 * the dot: llama.cpp multiplies it in afterwards (`Math.fround(out · s)`).
 *
 * A lookup-table kernel: for each activation row, a table of the 256 code
 * patterns of every 4 consecutive weights (one byte of a word), so that a
 * word adds 4 table entries to 4 lanes. Equal to
 * {@link ternaryMatmulQ8KGgmlReference}.
 *
 * @example
 * ```ts
 * const K = 256;
 * const x = new Int8Array(K).fill(2);                     // Q8_K codes
 * const words = packTernaryArray(new Int8Array(K).fill(1), 1, K); // all +1
 * const out = new Float32Array(1);
 * ternaryMatmulQ8KGgml(x, Float32Array.of(0.5), words, Float32Array.of(1), 1, 1, K, out);
 * out[0]; // 256 (= 256 · 2 · 0.5)
 * ```
 */
export function ternaryMatmulQ8KGgml(x: Int8Array, xd: Float32Array, words: Uint32Array, wd: Float32Array, M: number, N: number, K: number, out: Float32Array): void {
  checkArgs("ternaryMatmulQ8KGgml", x, xd, words, wd, M, N, K, out);
  const B = K / QK;
  // table of group g (4 weights k = 4g..4g+3, byte g & 3 of word g >> 2) at g·256: Σ code_j · q_{4g+j} for the byte's 4 codes
  const table = scratchTable(true, (K / 4) * 256) as Int16Array;
  const minus = new Int32Array(B * LANES); // per block and lane: Σ q over [32l, 32l+32)
  for (let m = 0; m < M; m++) {
    const xo = m * K;
    for (let g = 0; g < K / 4; g++) {
      const q0 = x[xo + 4 * g], q1 = x[xo + 4 * g + 1], q2 = x[xo + 4 * g + 2], q3 = x[xo + 4 * g + 3];
      const to = g << 8;
      // byte = c0 | c1 << 2 | c2 << 4 | c3 << 6: the inner loop over c0 is the fastest-varying
      for (let c3 = 0; c3 < 4; c3++) {
        for (let c2 = 0; c2 < 4; c2++) {
          for (let c1 = 0; c1 < 4; c1++) {
            const s = c3 * q3 + c2 * q2 + c1 * q1;
            const t = to + (c3 << 6) + (c2 << 4) + (c1 << 2);
            table[t] = s;
            table[t + 1] = s + q0;
            table[t + 2] = s + 2 * q0;
            table[t + 3] = s + 3 * q0;
          }
        }
      }
    }
    for (let i = 0; i < B * LANES; i++) {
      let s = 0;
      for (let k = xo + 32 * i; k < xo + 32 * i + 32; k++) s += x[k];
      minus[i] = s;
    }
    rowDots(table, minus, words, wd, xd, m, N, B, out);
  }
}

/** The dots of activation row m (its tables and bsum parts built) with every weight row: out[m, 0..N). */
function rowDots(table: Int16Array, minus: Int32Array, words: Uint32Array, wd: Float32Array, xd: Float32Array, m: number, N: number, B: number, out: Float32Array): void {
  const wpr = 16 * B; // words per row: 16 per block
  for (let n = 0; n < N; n++) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (let b = 0; b < B; b++) {
      const wo = n * wpr + 16 * b;
      let l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0;
      // an even word of the block holds (i mod 32) in [0, 16): lanes 0..3, byte j to lane j; an odd word lanes 4..7
      for (let u = 0; u < 16; u += 2) {
        const we = words[wo + u];
        const wodd = words[wo + u + 1];
        const te = (16 * b + u) << 10; // group 4·(16b + u), 256 entries each
        l0 += table[te + (we & 255)];
        l1 += table[te + 256 + ((we >>> 8) & 255)];
        l2 += table[te + 512 + ((we >>> 16) & 255)];
        l3 += table[te + 768 + (we >>> 24)];
        l4 += table[te + 1024 + (wodd & 255)];
        l5 += table[te + 1280 + ((wodd >>> 8) & 255)];
        l6 += table[te + 1536 + ((wodd >>> 16) & 255)];
        l7 += table[te + 1792 + (wodd >>> 24)];
      }
      const d = f32(xd[m * B + b] * wd[n * B + b]);
      const mo = b * LANES;
      a0 = fmaF32(l0 - minus[mo], d, a0);
      a1 = fmaF32(l1 - minus[mo + 1], d, a1);
      a2 = fmaF32(l2 - minus[mo + 2], d, a2);
      a3 = fmaF32(l3 - minus[mo + 3], d, a3);
      a4 = fmaF32(l4 - minus[mo + 4], d, a4);
      a5 = fmaF32(l5 - minus[mo + 5], d, a5);
      a6 = fmaF32(l6 - minus[mo + 6], d, a6);
      a7 = fmaF32(l7 - minus[mo + 7], d, a7);
    }
    out[m * N + n] = hsum8(a0, a1, a2, a3, a4, a5, a6, a7);
  }
}

/** ggml's hsum_float_8: the upper 4 lanes onto the lower, then (r0 + r2) + (r1 + r3), in float32. */
function hsum8(a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number): number {
  const r0 = f32(a4 + a0), r1 = f32(a5 + a1), r2 = f32(a6 + a2), r3 = f32(a7 + a3);
  return f32(f32(r0 + r2) + f32(r1 + r3));
}

/**
 * The plain reference twin of {@link ternaryMatmulQ8KGgml}: the AVX2 loop of
 * `ggml_vec_dot_tq2_0_q8_K` written out element by element (TQ2_0's byte
 * layout: element 128h + 32n + p of a block is byte p of the h-th 32-byte
 * load, shifted by 2n; maddubs pairs and madd pairs make int32 lane p >> 2;
 * the bsums of 16 q each are subtracted per 16-bit lane), with the exact
 * BigInt fused multiply-add. Slow.
 *
 * @example
 * ```ts
 * const x = new Int8Array(256).fill(2);
 * const words = packTernaryArray(new Int8Array(256).fill(1), 1, 256);
 * const out = new Float32Array(1);
 * ternaryMatmulQ8KGgmlReference(x, Float32Array.of(0.5), words, Float32Array.of(1), 1, 1, 256, out);
 * out[0]; // 256 (as ternaryMatmulQ8KGgml)
 * ```
 */
export function ternaryMatmulQ8KGgmlReference(x: Int8Array, xd: Float32Array, words: Uint32Array, wd: Float32Array, M: number, N: number, K: number, out: Float32Array): void {
  checkArgs("ternaryMatmulQ8KGgmlReference", x, xd, words, wd, M, N, K, out);
  const B = K / QK;
  const wpr = wordsPerRow(K);
  const code = (n: number, k: number): number => (words[n * wpr + (k >>> 4)] >>> (2 * (k & 15))) & 3;
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const sumf = new Array<number>(LANES).fill(0);
      for (let b = 0; b < B; b++) {
        const e0 = b * QK;
        const yq = (i: number): number => x[m * K + e0 + i];
        // 16 int16 lanes: maddubs of bytes p = 2s, 2s + 1 of the four shifted loads, both halves (h) of the block
        const sumi16 = new Array<number>(16).fill(0);
        for (let h = 0; h < 2; h++) {
          for (let sh = 0; sh < 4; sh++) {
            for (let p = 0; p < 32; p++) {
              const i = 128 * h + 32 * sh + p;
              sumi16[p >> 1] += code(n, e0 + i) * yq(i);
            }
          }
        }
        // minus bsums[s] = Σ q over [16s, 16s + 16); madd with ones pairs int16 lanes into int32 lanes
        for (let s = 0; s < 16; s++) {
          let bsum = 0;
          for (let i = 16 * s; i < 16 * s + 16; i++) bsum += yq(i);
          sumi16[s] -= bsum;
        }
        const d = f32(xd[m * B + b] * wd[n * B + b]);
        for (let l = 0; l < LANES; l++) sumf[l] = fmaF32Reference(sumi16[2 * l] + sumi16[2 * l + 1], d, sumf[l]);
      }
      // hsum_float_8: extractf128 + add, movehl + add, movehdup + add_ss
      const r = [0, 1, 2, 3].map((k) => f32(sumf[4 + k] + sumf[k]));
      out[m * N + n] = f32(f32(r[0] + r[2]) + f32(r[1] + r[3]));
    }
  }
}
