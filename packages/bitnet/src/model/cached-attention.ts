// Causal softmax attention of new positions over a KV cache, on host arrays,
// in ggml's float32 operation order: scores f32(f32(q·k) · 1/√D) (the dot
// summed in double), softmax with f32(exp(s - max)) and f32(1 / Σ), and
// the weighted sum of values in double, stored as float32. With an fp16
// cache, q and the probabilities are rounded to fp16 as llama.cpp's F16
// matmuls do. Written twice: the plain loops (the reference twin) and a
// faster one whose dots and weighted sums are tensor's rowDotsF64 and
// weightedRowSumF64 (WebAssembly SIMD over a cache in the kernels' shared
// memory); both sum in the same order, so they agree bit for bit. Not RoPE and not the cache writes.
//
// Shapes: N new positions at start.., H heads, K kv heads (H/K query heads
// share one), D head size; q and out [N, H·D]; keys and values [S, K·D].
import { rowDotsF64, weightedRowSumF64 } from "@bitnet-quantize/tensor";
import { BitNetError } from "../errors.js";
import { roundToFloat16 } from "./float16.js";

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
  check(q, keys, values, out, s);
  const { N, start, heads: H, kvHeads: K, headDim: D, f16 } = s;
  const C = H * D;
  const KD = K * D;
  const G = H / K;
  if (f16) for (let i = 0; i < q.length; i++) q[i] = roundToFloat16(q[i]);
  const scale = f32(1 / Math.sqrt(D));
  const p = new Float64Array(start + N);
  for (let n = 0; n < N; n++) {
    const T = start + n + 1; // causal: positions 0..start+n
    for (let h = 0; h < H; h++) {
      const kvo = ((h / G) | 0) * D;
      const qo = n * C + h * D;
      // scores: each dot summed over d in order (rowDotsF64: the WebAssembly kernel when the cache is resident)
      rowDotsF64(q, qo, keys, kvo, KD, D, T, p);
      for (let t = 0; t < T; t++) p[t] = f32(f32(p[t]) * scale);
      let m = -Infinity;
      for (let t = 0; t < T; t++) if (p[t] > m) m = p[t];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const e = f32(Math.exp(f32(p[t] - m)));
        p[t] = e;
        sum += e;
      }
      const inv = f32(1 / sum);
      for (let t = 0; t < T; t++) {
        const pt = f32(p[t] * inv);
        p[t] = f16 ? roundToFloat16(pt) : pt;
      }
      // out[d] = Σ_t p[t]·v[t, d] in double, t in order (weightedRowSumF64: the WebAssembly kernel when the cache is resident)
      weightedRowSumF64(p, values, kvo, KD, D, T, out, qo);
    }
  }
}

/**
 * The reference twin of {@link cachedAttention}: the same result from the
 * plain loops (the weighted sum with d outer, striding over the cache).
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * cachedAttentionReference(new Float32Array([1, 0]), new Float32Array([1, 0]), new Float32Array([3, 4]), out, { N: 1, start: 0, heads: 1, kvHeads: 1, headDim: 2, f16: false });
 * Array.from(out); // [3, 4]
 * ```
 */
export function cachedAttentionReference(q: Float32Array, keys: Float32Array, values: Float32Array, out: Float32Array, s: AttentionShape): void {
  check(q, keys, values, out, s);
  const { N, start, heads: H, kvHeads: K, headDim: D, f16 } = s;
  const C = H * D;
  const KD = K * D;
  const G = H / K;
  if (f16) for (let i = 0; i < q.length; i++) q[i] = roundToFloat16(q[i]);
  const scale = f32(1 / Math.sqrt(D));
  const p = new Float64Array(start + N);
  for (let n = 0; n < N; n++) {
    const T = start + n + 1;
    for (let h = 0; h < H; h++) {
      const kh = Math.floor(h / G);
      const qo = n * C + h * D;
      let m = -Infinity;
      for (let t = 0; t < T; t++) {
        let s = 0;
        const ko = t * KD + kh * D;
        for (let d = 0; d < D; d++) s += q[qo + d] * keys[ko + d];
        const sc = f32(f32(s) * scale);
        p[t] = sc;
        if (sc > m) m = sc;
      }
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const e = f32(Math.exp(f32(p[t] - m)));
        p[t] = e;
        sum += e;
      }
      const inv = f32(1 / sum);
      for (let t = 0; t < T; t++) {
        const pt = f32(p[t] * inv);
        p[t] = f16 ? roundToFloat16(pt) : pt;
      }
      for (let d = 0; d < D; d++) {
        let s = 0;
        for (let t = 0; t < T; t++) s += p[t] * values[t * KD + kh * D + d];
        out[qo + d] = s;
      }
    }
  }
}
