// llama.cpp's CPU float arithmetic, bit for bit, built on the fused
// multiply-add (fmaF32, in @bitnet-quantize/tensor): ggml's vector exp and
// SiLU (ggml_v_expf / ggml_v_silu, AVX512), and the lane order of its fp16
// dot products (ggml_vec_dot_f16 with AVX512, and llamafile's tinyBLAS,
// which ggml's matmul takes when a batch has two or more columns). What the
// inference pass runs on the host in `"ggml"` arithmetic; each fast function
// has a plain reference twin that follows ggml's code literally. Read from llama.cpp b4747 as built with
// -O3 -march=native on an x86-64 CPU with AVX512 (GCC contracts a·b + c into
// one FMA there). Not the ternary product (tensor/quant), not RoPE's tables.
//
// Shapes: dot products over n elements at a stride (xs, ys); lanes of 16.
import { fmaF32, fmaF32Reference } from "@bitnet-quantize/tensor";

/** Re-exported from @bitnet-quantize/tensor, where the fused multiply-add lives. */
export { fmaF32, fmaF32Reference };

const f32 = Math.fround;

// ggml_v_expf's constants (ggml-cpu.c), written as hex-float mantissas
const EXP_ROUND = 12582912; // 0x1.8p23
const LOG2E = 0x1715476 / 2 ** 24; // 0x1.715476p+0
const LN2_HI = 0x162e4 / 2 ** 17; // 0x1.62e4p-1
const LN2_LO = 0x17f7d1c / 2 ** 44; // 0x1.7f7d1cp-20
const E7 = 0x10e4020 / 2 ** 31; // 0x1.0e4020p-7
const E6 = 0x1573e2e / 2 ** 29; // 0x1.573e2ep-5
const E5 = 0x1555e66 / 2 ** 27; // 0x1.555e66p-3
const E4 = 0x1fffdb6 / 2 ** 26; // 0x1.fffdb6p-2
const E3 = 0x1ffffec / 2 ** 25; // 0x1.ffffecp-1

/**
 * One lane of ggml's `ggml_v_expf` (AVX512): e^x for a float32 x by
 * n = round(x·log2 e), a reduced argument b = x − n·ln2 (two FMAs) and a
 * degree-5 polynomial (FMAs), scaled by 2^n; |n| > 192 gives 0 or
 * Infinity. Within 2.3 ulp of e^x (2.23 at most over every third float32
 * in [-87, 88], measured); llama.cpp's softmax and SiLU use it.
 *
 * @example
 * ```ts
 * expF32Ggml(1); // 2.7182819843292236 (libm's expf gives 2.7182817459106445)
 * ```
 */
export function expF32Ggml(x: number): number {
  return expSteps(x, fmaF32);
}

/**
 * The reference twin of {@link expF32Ggml}: the same steps with
 * {@link fmaF32Reference}.
 *
 * @example
 * ```ts
 * expF32GgmlReference(1); // 2.7182819843292236
 * ```
 */
export function expF32GgmlReference(x: number): number {
  return expSteps(x, fmaF32Reference);
}

/** ggml_v_expf's steps for one lane, with `fma` as its fused multiply-adds (the fast one or its twin). */
function expSteps(x: number, fma: (a: number, b: number, c: number) => number): number {
  const z = fma(x, LOG2E, EXP_ROUND);
  const n = f32(z - EXP_ROUND);
  const b = fma(-n, LN2_LO, fma(-n, LN2_HI, x));
  const u = f32(b * b);
  const j = fma(fma(fma(E7, b, E6), u, fma(E5, b, E4)), u, fma(E3, b, 1));
  if (Math.abs(n) > 192) return n <= 0 ? 0 : Infinity;
  if (n !== n) return x; // NaN in, NaN out (the vector code blends NaN through as well)
  return f32(j * 2 ** n); // _mm512_scalef_ps: exact scaling, one rounding (subnormals included)
}

/**
 * One lane of ggml's `ggml_v_silu`: `x / (1 + expF32Ggml(0 − x))` in float32.
 *
 * @example
 * ```ts
 * siluF32Ggml(1); // 0.7310585379600525
 * ```
 */
export function siluF32Ggml(x: number): number {
  return f32(x / f32(1 + expF32Ggml(f32(0 - x))));
}

/**
 * `_mm512_reduce_add_ps` of the 16 lanes `a[o..o+16)` as GCC writes it:
 * upper 8 + lower 8, then upper 4 + lower 4, then (0+2, 1+3), then their sum,
 * every step in float32.
 *
 * @example
 * ```ts
 * reduceAdd16(Float32Array.from({ length: 16 }, (_, i) => i), 0); // 120
 * ```
 */
export function reduceAdd16(a: ArrayLike<number>, o: number): number {
  const t0 = f32(a[o + 8] + a[o]), t1 = f32(a[o + 9] + a[o + 1]), t2 = f32(a[o + 10] + a[o + 2]), t3 = f32(a[o + 11] + a[o + 3]);
  const t4 = f32(a[o + 12] + a[o + 4]), t5 = f32(a[o + 13] + a[o + 5]), t6 = f32(a[o + 14] + a[o + 6]), t7 = f32(a[o + 15] + a[o + 7]);
  const u0 = f32(t4 + t0), u1 = f32(t5 + t1), u2 = f32(t6 + t2), u3 = f32(t7 + t3);
  return f32(f32(u0 + u2) + f32(u1 + u3));
}

/** The reference twin of {@link reduceAdd16}: the intrinsic's steps on arrays. @example `reduceAddReference16(Float32Array.from({ length: 16 }, (_, i) => i), 0); // 120` */
export function reduceAddReference16(a: ArrayLike<number>, o: number): number {
  const t3 = Array.from({ length: 8 }, (_, i) => f32(a[o + 8 + i] + a[o + i]));
  const t6 = Array.from({ length: 4 }, (_, i) => f32(t3[4 + i] + t3[i]));
  const t8 = [f32(t6[0] + t6[2]), f32(t6[1] + t6[3])];
  return f32(t8[0] + t8[1]);
}

/**
 * ggml's `ggml_vec_dot_f16` on an AVX512 CPU, for fp16 values held as numbers:
 * `Σ x[xo + i·xs]·y[yo + i·ys]` over n. The first n − n mod 64 terms go to 64
 * float32 lanes (4 vectors of 16; lane k takes terms k, k + 64, …, each by
 * FMA), folded 0+2, 1+3, then 0+1, then {@link reduceAdd16}; the rest is
 * added in double; the result is rounded to float32. What ggml's matmul runs
 * for an F16 weight and a single column (one token): attention while
 * generating, the lm_head. `zeros` more terms that are 0 follow the n read
 * (llama.cpp's attention runs over the cache length padded to 32); they
 * add nothing but move the split between lanes and the double tail.
 *
 * @example
 * ```ts
 * dotF16Ggml(new Float32Array([1, 2]), 0, 1, new Float32Array([3, 4]), 0, 1, 2); // 11
 * ```
 */
export function dotF16Ggml(x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, n: number, zeros = 0): number {
  const total = n + zeros;
  const np = total - (total % 64);
  const lanesEnd = Math.min(np, n);
  let sum = np > 0 ? lanes64Dot(x, xo, xs, y, yo, ys, lanesEnd) : 0;
  for (let i = lanesEnd; i < n; i++) sum += f32(x[xo + i * xs] * y[yo + i * ys]);
  return f32(sum);
}

/**
 * ggml's `ggml_vec_dot_f32` on an AVX512 CPU: {@link dotF16Ggml}'s 64 lanes
 * for the first n − n mod 64 terms, then the rest (t terms) added one by one
 * in float32 as GCC compiled the loop `sumf += x[i]*y[i]`: the first
 * t − t mod 8 products rounded to float32 (vector multiplies, in chunks of
 * 16 and 8) and added, the last t mod 8 by scalar FMA (read from the
 * disassembly of b4747's libggml-cpu.so; known values tell the two apart).
 * What ggml's matmul runs for an F32 weight and a single column: the
 * lm_head of an F32 `token_embd` while generating.
 *
 * @example
 * ```ts
 * dotF32Ggml(new Float32Array([1, 2]), 0, 1, new Float32Array([3, 4]), 0, 1, 2); // 11
 * ```
 */
export function dotF32Ggml(x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, n: number): number {
  const np = n - (n % 64);
  let sum = np > 0 ? lanes64Dot(x, xo, xs, y, yo, ys, np) : 0;
  const vec = n - ((n - np) % 8);
  for (let i = np; i < vec; i++) sum = f32(sum + f32(x[xo + i * xs] * y[yo + i * ys]));
  for (let i = vec; i < n; i++) sum = fmaF32(x[xo + i * xs], y[yo + i * ys], sum);
  return sum;
}

/**
 * The reference twin of {@link dotF32Ggml}: ggml_vec_dot_f32's loops as
 * written (GGML_F32_STEP 64, GGML_F32_EPR 16, four sum vectors, the
 * GGML_F32x16_REDUCE tree), with {@link fmaF32Reference}, and the tail as
 * compiled: vector chunks of 16, then of 8, of products added lane by lane,
 * then scalar FMAs.
 *
 * @example
 * ```ts
 * dotF32GgmlReference(new Float32Array([1, 2]), 0, 1, new Float32Array([3, 4]), 0, 1, 2); // 11
 * ```
 */
export function dotF32GgmlReference(x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, n: number): number {
  const X = (i: number): number => x[xo + i * xs];
  const Y = (i: number): number => y[yo + i * ys];
  const STEP = 64, EPR = 16, ARR = 4;
  const np = n & ~(STEP - 1);
  const sum: number[][] = Array.from({ length: ARR }, () => new Array<number>(EPR).fill(0));
  for (let i = 0; i < np; i += STEP) {
    for (let j = 0; j < ARR; j++) {
      for (let l = 0; l < EPR; l++) sum[j][l] = fmaF32Reference(X(i + j * EPR + l), Y(i + j * EPR + l), sum[j][l]);
    }
  }
  let sumf = 0;
  if (np > 0) {
    for (let offset = ARR >> 1; offset > 0; offset >>= 1) {
      for (let i = 0; i < offset; i++) for (let l = 0; l < EPR; l++) sum[i][l] = f32(sum[i][l] + sum[offset + i][l]);
    }
    sumf = reduceAddReference16(sum[0], 0);
  }
  // the tail's vector chunks: as many of 16 as fit, then one of 8 if it fits; each chunk's products, then added lane by lane
  const chunks: number[] = [];
  let i = np;
  while (i + 16 <= n) {
    chunks.push(16);
    i += 16;
  }
  if (i + 8 <= n) chunks.push(8);
  i = np;
  for (const width of chunks) {
    const prod = Array.from({ length: width }, (_, l) => f32(X(i + l) * Y(i + l)));
    for (const p of prod) sumf = f32(sumf + p);
    i += width;
  }
  for (; i < n; i++) sumf = fmaF32Reference(X(i), Y(i), sumf);
  return sumf;
}

/** ggml's 64 float32 lanes over terms [0, end) (end a multiple of 64 unless zeros follow): lane k takes terms k, k + 64, … by FMA; folded 0+2, 1+3, then 0+1, then {@link reduceAdd16}. */
function lanes64Dot(x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, end: number): number {
  const acc = lanes64;
  acc.fill(0);
  for (let i = 0; i < end; i += 64) {
    const m = Math.min(64, end - i);
    for (let k = 0; k < m; k++) acc[k] = fmaF32(x[xo + (i + k) * xs], y[yo + (i + k) * ys], acc[k]);
  }
  for (let k = 0; k < 16; k++) {
    acc[k] = f32(acc[k] + acc[32 + k]);
    acc[16 + k] = f32(acc[16 + k] + acc[48 + k]);
  }
  for (let k = 0; k < 16; k++) acc[k] = f32(acc[k] + acc[16 + k]);
  return reduceAdd16(acc, 0);
}
const lanes64 = new Float64Array(64);

/**
 * The reference twin of {@link dotF16Ggml}: ggml_vec_dot_f16's loops as
 * written (GGML_F16_STEP 64, GGML_F16_EPR 16, four sum vectors, the
 * GGML_F32Cx16_REDUCE tree, a double tail), with {@link fmaF32Reference}.
 *
 * @example
 * ```ts
 * dotF16GgmlReference(new Float32Array([1, 2]), 0, 1, new Float32Array([3, 4]), 0, 1, 2); // 11
 * ```
 */
export function dotF16GgmlReference(x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, n0: number, zeros = 0): number {
  const X = (i: number): number => (i < n0 ? x[xo + i * xs] : 0);
  const Y = (i: number): number => (i < n0 ? y[yo + i * ys] : 0);
  const n = n0 + zeros;
  const STEP = 64, EPR = 16, ARR = 4;
  const np = n & ~(STEP - 1);
  const sum: number[][] = Array.from({ length: ARR }, () => new Array<number>(EPR).fill(0));
  for (let i = 0; i < np; i += STEP) {
    for (let j = 0; j < ARR; j++) {
      for (let l = 0; l < EPR; l++) {
        const k = i + j * EPR + l;
        sum[j][l] = fmaF32Reference(X(k), Y(k), sum[j][l]);
      }
    }
  }
  let sumf = 0;
  if (np > 0) {
    for (let offset = ARR >> 1; offset > 0; offset >>= 1) {
      for (let i = 0; i < offset; i++) for (let l = 0; l < EPR; l++) sum[i][l] = f32(sum[i][l] + sum[offset + i][l]);
    }
    sumf = reduceAddReference16(sum[0], 0);
  }
  for (let i = np; i < n; i++) sumf += f32(X(i) * Y(i));
  return f32(sumf);
}

/**
 * llamafile's tinyBLAS (AVX512, 16 lanes) for one output: lane k takes terms
 * k, k + 16, … by FMA, then {@link reduceAdd16}. What ggml's matmul runs for
 * F16 × F16 when the batch has two or more columns and the length is a
 * multiple of 16 (attention over a prompt); here the n terms read are
 * followed by zeros up to that multiple.
 *
 * @example
 * ```ts
 * dotTinyBlas16(new Float32Array(16).fill(1), 0, 1, new Float32Array(16).fill(2), 0, 1, 16); // 32
 * ```
 */
export function dotTinyBlas16(x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, n: number): number {
  const acc = lanes16;
  acc.fill(0);
  for (let i = 0; i < n; i += 16) {
    const m = Math.min(16, n - i);
    for (let k = 0; k < m; k++) acc[k] = fmaF32(x[xo + (i + k) * xs], y[yo + (i + k) * ys], acc[k]);
  }
  return reduceAdd16(acc, 0);
}
const lanes16 = new Float64Array(16);

/**
 * The reference twin of {@link dotTinyBlas16}: `gemm_bloc`'s accumulator
 * `Cv = madd(A, B, Cv)` over k in steps of 16, then `hsum`, with
 * {@link fmaF32Reference}.
 *
 * @example
 * ```ts
 * dotTinyBlasReference16(new Float32Array(16).fill(1), 0, 1, new Float32Array(16).fill(2), 0, 1, 16); // 32
 * ```
 */
export function dotTinyBlasReference16(x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, n: number): number {
  const X = (i: number): number => (i < n ? x[xo + i * xs] : 0);
  const Y = (i: number): number => (i < n ? y[yo + i * ys] : 0);
  const Cv = new Array<number>(16).fill(0);
  for (let l = 0; l < n; l += 16) {
    for (let k = 0; k < 16; k++) Cv[k] = fmaF32Reference(X(l + k), Y(l + k), Cv[k]);
  }
  return reduceAddReference16(Cv, 0);
}
