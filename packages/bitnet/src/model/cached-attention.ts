// Causal softmax attention of new positions over a KV cache, on host arrays,
// in ggml's float32 operation order: scores f32(f32(q·k) · 1/√D) (the dot
// summed in double), softmax with f32(exp(s - max)) and f32(1 / Σ), and
// the weighted sum of values in double, stored as float32. With an fp16
// cache, q and the probabilities are rounded to fp16 as llama.cpp's F16
// matmuls do. One sequence of steps, run with tensor's headDotsF64 and
// headWeightedSumF64 (WebAssembly SIMD over a cache in the kernels' shared
// memory, all heads of a position at once) or, as the reference twin, with
// their plain loops (one head at a time); both sum in the same order, so
// they agree bit for bit (test/llama-reference.ts keeps
// an independent oracle of the whole layer). A third
// version, with its own twin, follows llama.cpp's CPU backend bit for bit
// (ggml-float.ts) for the "ggml" arithmetic. Not RoPE and not the cache
// writes.
//
// Shapes: N new positions at start.., H heads, K kv heads (H/K query heads
// share one), D head size; q and out [N, H·D]; keys and values [S, K·D].
import { headDotsF64, headDotsF64Reference, headWeightedSumF64, headWeightedSumF64Reference } from "@bitnet-quantize/tensor";
import { BitNetError } from "../errors.js";
import { roundFloat32ToFloat16, roundToFloat16 } from "./float16.js";
import {
  dotF16Ggml, dotF16GgmlReference, dotTinyBlas16, dotTinyBlasReference16, expF32Ggml, expF32GgmlReference, reduceAdd16, reduceAddReference16,
} from "./ggml-float.js";

const f32 = Math.fround;

/**
 * The sizes of one attention call: `N` new positions after `start` cached
 * ones, `heads` query heads, `kvHeads` key/value heads, `headDim` D, and
 * whether the cache holds fp16 values (`f16`).
 *
 * @example
 * ```ts
 * const s: AttentionShape = { N: 1, start: 4, heads: 16, kvHeads: 16, headDim: 96, f16: true };
 * ```
 */
export interface AttentionShape {
  readonly N: number;
  readonly start: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly f16: boolean;
}

function check(q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape): void {
  const { N, start, heads: H, kvHeads: K, headDim: D } = s;
  const ok = [N, start, H, K, D].every((v) => Number.isInteger(v) && v >= 0) && K > 0 && H % K === 0;
  if (!ok) throw new BitNetError(`cachedAttention: bad sizes ${JSON.stringify(s)} (heads a multiple of kvHeads)`);
  if (q.length !== N * H * D || out.length !== N * H * D) throw new BitNetError(`cachedAttention: q and out must hold ${N}x${H * D} values, got ${q.length} and ${out.length}`);
  const need = (start + N) * K * D;
  if (keys.length < need || values.length < need) throw new BitNetError(`cachedAttention: the cache holds fewer than ${start + N} positions of ${K * D}`);
}

/**
 * Attention of `N` new positions (queries `q`, their keys and values already
 * in the cache at `start..start+N`) over positions `0..start+n`, into `out`.
 * With `f16`, `q` is rounded to fp16 in place first.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * cachedAttention(new Float32Array([1, 0]), new Float32Array([1, 0]), new Float32Array([3, 4]), out, { N: 1, start: 0, heads: 1, kvHeads: 1, headDim: 2, f16: false });
 * Array.from(out); // [3, 4]
 * ```
 */
export function cachedAttention(q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape): void {
  attention(q, keys, values, out, s, headDotsF64, headWeightedSumF64);
}

/**
 * The reference twin of {@link cachedAttention}: the same steps with the
 * plain loops of tensor's `headDotsF64Reference` and
 * `headWeightedSumF64Reference` (one head at a time, the weighted sum with
 * d outer, striding over the cache).
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * cachedAttentionReference(new Float32Array([1, 0]), new Float32Array([1, 0]), new Float32Array([3, 4]), out, { N: 1, start: 0, heads: 1, kvHeads: 1, headDim: 2, f16: false });
 * Array.from(out); // [3, 4]
 * ```
 */
export function cachedAttentionReference(q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape): void {
  attention(q, keys, values, out, s, headDotsF64Reference, headWeightedSumF64Reference);
}

/**
 * The steps of {@link cachedAttention}, with its two loops given: the dots
 * of q with the cached keys and the weighted sums of the cached values, for
 * all heads of a position at once (the fast ones or their plain twins; both
 * sum in the same order).
 */
function attention(
  q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape,
  dots: typeof headDotsF64, weightedSum: typeof headWeightedSumF64,
): void {
  check(q, keys, values, out, s);
  const { N, start, heads: H, kvHeads: K, headDim: D, f16 } = s;
  const C = H * D;
  const KD = K * D;
  const G = H / K;
  if (f16) roundFloat32ToFloat16(q, q, 0, q.length);
  const scale = f32(1 / Math.sqrt(D));
  const S = start + N; // a row of p per head, long enough for the last position
  const p = new Float64Array(H * S);
  const at = { offset: 0, stride: KD, kvOffsets: Array.from({ length: H }, (_, h) => ((h / G) | 0) * D), D };
  for (let n = 0; n < N; n++) {
    const T = start + n + 1; // causal: positions 0..start+n
    // every head's scores: each dot summed over d in order
    dots(q, n * C, keys, at, T, p, S);
    for (let h = 0; h < H; h++) softmaxRow(p, h * S, T, scale, f16);
    // out[h·D + d] = Σ_t p_h[t]·v[t, h·D + d] in double, t in order
    weightedSum(p, S, values, at, T, out, n * C);
  }
}

/** One head's scores at p[o..o+T) to probabilities, in place: f32(s·scale), then softmax in float32 steps (fp16 probabilities with `f16`). */
function softmaxRow(p: Float64Array, o: number, T: number, scale: number, f16: boolean): void {
  for (let t = o; t < o + T; t++) p[t] = f32(f32(p[t]) * scale);
  let m = -Infinity;
  for (let t = o; t < o + T; t++) if (p[t] > m) m = p[t];
  let sum = 0;
  for (let t = o; t < o + T; t++) {
    const e = f32(Math.exp(f32(p[t] - m)));
    p[t] = e;
    sum += e;
  }
  const inv = f32(1 / sum);
  for (let t = o; t < o + T; t++) {
    const pt = f32(p[t] * inv);
    p[t] = f16 ? roundToFloat16(pt) : pt;
  }
}

/** Positions llama.cpp's attention runs over: the cache length padded to 32 (its KV padding without flash attention). */
function paddedLength(T: number): number {
  return Math.ceil(T / 32) * 32;
}

/**
 * {@link cachedAttention} as llama.cpp's CPU backend computes it over an
 * fp16 cache (`s.f16` must be true), bit for bit: q and the probabilities
 * rounded to fp16; scores `f32(dot · f32(1/f32(√D)))`; the dots in ggml's
 * lane orders, which depend on the batch: {@link dotTinyBlas16} when N ≥ 2
 * (tinyBLAS; for q·k only when D is a multiple of 16, for p·v when D is a
 * multiple of 4), else {@link dotF16Ggml} (p·v over the cache length padded
 * to 32); softmax with {@link expF32Ggml} and the sum of 16-lane chunks
 * ({@link reduceAdd16}) in double. The `arithmetic: "ggml"` mode's
 * attention. Matches llama.cpp when the batch is the one it evaluates
 * (the same N at the same start).
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * cachedAttentionGgml(new Float32Array([1, 0]), new Float32Array([1, 0]), new Float32Array([3, 4]), out, { N: 1, start: 0, heads: 1, kvHeads: 1, headDim: 2, f16: true });
 * Array.from(out); // [3, 4]
 * ```
 */
export function cachedAttentionGgml(q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape): void {
  attentionGgml(q, keys, values, out, s, dotTinyBlas16, dotF16Ggml, reduceAdd16, expF32Ggml);
}

/**
 * The reference twin of {@link cachedAttentionGgml}: the same steps with the
 * reference twins of the dots, the reduction and exp.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * cachedAttentionGgmlReference(new Float32Array([1, 0]), new Float32Array([1, 0]), new Float32Array([3, 4]), out, { N: 1, start: 0, heads: 1, kvHeads: 1, headDim: 2, f16: true });
 * Array.from(out); // [3, 4]
 * ```
 */
export function cachedAttentionGgmlReference(q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape): void {
  attentionGgml(q, keys, values, out, s, dotTinyBlasReference16, dotF16GgmlReference, reduceAddReference16, expF32GgmlReference);
}

type Dot = (x: ArrayLike<number>, xo: number, xs: number, y: ArrayLike<number>, yo: number, ys: number, n: number, zeros?: number) => number;

function attentionGgml(
  q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape,
  tiny: Dot, vecDot: Dot, reduce16: (a: ArrayLike<number>, o: number) => number, exp: (x: number) => number,
): void {
  check(q, keys, values, out, s);
  const { N, start, heads: H, kvHeads: K, headDim: D, f16 } = s;
  if (!f16) throw new BitNetError("cachedAttentionGgml: llama.cpp's numerics are emulated for an fp16 cache only");
  const C = H * D;
  const KD = K * D;
  const G = H / K;
  roundFloat32ToFloat16(q, q, 0, q.length);
  const scale = f32(1 / f32(Math.sqrt(D))); // 1.0f/sqrtf(float(n_embd_head))
  const nkv = paddedLength(start + N);
  const p = new Float64Array(nkv);
  const kqTiny = N >= 2 && D % 16 === 0;
  const kqvTiny = N >= 2 && D % 4 === 0;
  for (let n = 0; n < N; n++) {
    const T = start + n + 1; // causal: positions 0..start+n; the rest of the nkv are masked
    for (let h = 0; h < H; h++) {
      const kvo = Math.floor(h / G) * D;
      const qo = n * C + h * D;
      let m = -Infinity;
      for (let t = 0; t < T; t++) {
        const dot = kqTiny ? tiny(q, qo, 1, keys, t * KD + kvo, 1, D) : vecDot(q, qo, 1, keys, t * KD + kvo, 1, D);
        const sc = f32(dot * scale);
        p[t] = sc;
        if (sc > m) m = sc;
      }
      p.fill(0, T);
      for (let t = 0; t < T; t++) p[t] = exp(f32(p[t] - m));
      let sum = 0;
      for (let c = 0; c < nkv; c += 16) sum += reduce16(p, c); // ggml_vec_soft_max_f32: 16-lane chunks, summed in double
      const inv = f32(1 / sum);
      for (let t = 0; t < T; t++) p[t] = roundToFloat16(f32(p[t] * inv));
      for (let d = 0; d < D; d++) {
        out[qo + d] = kqvTiny ? tiny(values, kvo + d, KD, p, 0, 1, T) : vecDot(values, kvo + d, KD, p, 0, 1, T, nkv - T);
      }
    }
  }
}
