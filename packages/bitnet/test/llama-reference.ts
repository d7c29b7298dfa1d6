// The plain reference forward (the oracle of the inference engine's tests):
// llama.cpp b4747's `bitnet` graph written out over float32 arrays with scalar
// loops, its own AbsMax / Q8_K quantizers and ternary dot products, RMSNorm
// with each square rounded to float32, and optionally the fp16 KV cache
// (q, keys, values and probabilities rounded to fp16). Test code only: the
// library runs BitNetInference (frozen BitLinear + ternaryMatmul).
//
// Shapes: N tokens in a call, C dim, H heads, K kv heads, D head size,
// F ffnDim, V vocab; activations are row-major [N, C].
import { roundHalfAway, roundHalfEven } from "@bitnet-quantize/tensor";
import { type BitNetModel, BitNetError, KVCache, type BitNetModelConfig, type RopeTables, type RoundingMode, type TernaryProjection, roundToFloat16, ropeInPlace, ropeTables, ternaryProjection } from "@bitnet-quantize/bitnet";

/** How projections see their input (as the library's ActivationMode). */
export type ActivationMode = "int8" | "float" | "q8_K";

/**
 * The weights of one decoder layer (norm weights as float32 vectors).
 *
 * @example
 * ```ts
 * const l: LayerWeights = model.inferenceWeights().layers[0];
 * ```
 */
export interface LayerWeights {
  readonly attnNorm: Float32Array;
  readonly attnSubNorm: Float32Array;
  readonly ffnNorm: Float32Array;
  readonly ffnSubNorm: Float32Array;
  readonly q: TernaryProjection;
  readonly k: TernaryProjection;
  readonly v: TernaryProjection;
  readonly o: TernaryProjection;
  readonly gate: TernaryProjection;
  readonly up: TernaryProjection;
  readonly down: TernaryProjection;
}

/**
 * How "int8" mode quantizes activations (BitLinear's settings).
 *
 * @example
 * ```ts
 * const s: Int8ActivationSettings = { bits: 8, eps: 1e-5, rounding: "half-even" };
 * ```
 */
export interface Int8ActivationSettings {
  readonly bits: number;
  readonly eps: number;
  readonly rounding: RoundingMode;
}

/**
 * Everything the inference pass reads: the config, the embedding `[V, C]`
 * (also the tied lm_head), the output norm, the layers, and the int8 settings.
 *
 * @example
 * ```ts
 * const w: InferenceWeights = model.inferenceWeights();
 * w.layers.length; // cfg.layers
 * ```
 */
export interface InferenceWeights {
  readonly config: BitNetModelConfig;
  readonly embedding: Float32Array;
  readonly outputNorm: Float32Array;
  readonly layers: readonly LayerWeights[];
  readonly int8: Int8ActivationSettings;
}

const f32 = Math.fround;

/**
 * The reference pass over a snapshot of the weights.
 *
 * @example
 * ```ts
 * const inf = new BitNetInference(model.inferenceWeights(), "float");
 * const cache = inf.newCache();
 * const logits = inf.forward([1, 42, 7], cache, true); // Float32Array [3 * V]
 * ```
 */
export class ReferenceInference {
  readonly weights: InferenceWeights;
  readonly mode: ActivationMode;
  readonly #rope: RopeTables;

  /**
   * Prepares the RoPE tables; `"q8_K"` needs row lengths that are multiples of 256.
   *
   * @example
   * ```ts
   * new BitNetInference(model.inferenceWeights(), "float").mode; // "float"
   * ```
   */
  constructor(weights: InferenceWeights, mode: ActivationMode = "int8", readonly kvCache: "f32" | "f16" = "f32", readonly lmHeadInput: "f32" | "f16" = "f32") {
    this.weights = weights;
    this.mode = mode;
    const c = weights.config;
    this.#rope = ropeTables(c.contextLength, c.dim / c.heads, c.ropeTheta);
    if (mode === "q8_K") {
      for (const [i, l] of weights.layers.entries()) {
        const parts: [string, unknown][] = Object.entries(l);
        for (const [n, p] of parts) {
          if (!isTernaryProjection(p)) continue;
          if (p.inFeatures % 256 !== 0) {
            throw new BitNetError(`BitNetInference: "q8_K" needs row lengths that are multiples of 256; layer ${i} ${n} has ${p.inFeatures}`);
          }
          if (p.groupColumns % 256 !== 0 && p.groupColumns < p.inFeatures) {
            throw new BitNetError(`BitNetInference: "q8_K" needs one weight scale per 256-block; layer ${i} ${n} has a scale per ${p.groupColumns} columns`);
          }
        }
      }
    }
  }

  /** An empty cache sized for the context length. @example `inf.newCache().capacity; // contextLength` */
  newCache(): KVCache {
    const c = this.weights.config;
    return new KVCache(c.layers, c.contextLength, c.kvHeads * (c.dim / c.heads), this.kvCache);
  }

  /**
   * Runs `ids` at positions `cache.length ..`, appends their keys and values,
   * and returns the logits: `[N, V]` for every token with `all`, else `[V]`
   * for the last one.
   *
   * @example
   * ```ts
   * inf.forward([1, 5], cache, false).length; // V
   * ```
   */
  forward(ids: readonly number[], cache: KVCache, all = false): Float32Array {
    const c = this.weights.config;
    const N = ids.length;
    const C = c.dim;
    const V = c.vocabSize;
    if (N === 0) throw new BitNetError("BitNetInference.forward: no tokens");
    if (cache.length + N > cache.capacity) throw new BitNetError(`BitNetInference.forward: ${cache.length} cached + ${N} new positions exceed the context length ${cache.capacity}`);
    const x = new Float32Array(N * C);
    for (let n = 0; n < N; n++) {
      const id = ids[n];
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new BitNetError(`BitNetInference.forward: token id ${id} at ${n} is outside the vocabulary (0..${V - 1})`);
      x.set(this.weights.embedding.subarray(id * C, (id + 1) * C), n * C);
    }
    const start = cache.length;
    for (let l = 0; l < c.layers; l++) this.#layer(l, x, N, start, cache);
    cache.advance(N);
    const rows = all ? N : 1;
    const h = rmsNorm(x.subarray((N - rows) * C), rows, C, this.weights.outputNorm, c.normEps);
    if (this.lmHeadInput === "f16") for (let i = 0; i < h.length; i++) h[i] = roundToFloat16(h[i]);
    const logits = new Float32Array(rows * V);
    const E = this.weights.embedding;
    for (let r = 0; r < rows; r++) {
      for (let v = 0; v < V; v++) {
        let s = 0;
        for (let i = 0; i < C; i++) s += h[r * C + i] * E[v * C + i];
        logits[r * V + v] = s;
      }
    }
    return logits;
  }

  #layer(l: number, x: Float32Array, N: number, start: number, cache: KVCache): void {
    const c = this.weights.config;
    const w = this.weights.layers[l];
    const C = c.dim;
    const H = c.heads;
    const K = c.kvHeads;
    const D = C / H;
    const G = H / K;
    const KD = K * D;
    const a = rmsNorm(x, N, C, w.attnNorm, c.normEps);
    const q = this.#project(a, N, w.q);
    const k = this.#project(a, N, w.k);
    const v = this.#project(a, N, w.v);
    const kc = cache.keys[l];
    const vc = cache.values[l];
    for (let n = 0; n < N; n++) {
      const pos = start + n;
      for (let h = 0; h < H; h++) ropeInPlace(q, n * C + h * D, D, this.#rope, pos);
      for (let h = 0; h < K; h++) ropeInPlace(k, n * KD + h * D, D, this.#rope, pos);
      cache.write(l, pos, k.subarray(n * KD, (n + 1) * KD), v.subarray(n * KD, (n + 1) * KD));
    }
    const h16 = this.kvCache === "f16";
    if (h16) for (let i = 0; i < q.length; i++) q[i] = roundToFloat16(q[i]);
    const scale = f32(1 / Math.sqrt(D));
    const att = new Float32Array(N * C);
    const p = new Float64Array(start + N);
    for (let n = 0; n < N; n++) {
      const T = start + n + 1; // causal: positions 0..start+n
      for (let h = 0; h < H; h++) {
        const kh = Math.floor(h / G);
        const qo = n * C + h * D;
        let m = -Infinity;
        for (let t = 0; t < T; t++) {
          let s = 0;
          const ko = t * KD + kh * D;
          for (let d = 0; d < D; d++) s += q[qo + d] * kc[ko + d];
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
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (let t = 0; t < T; t++) s += (h16 ? roundToFloat16(f32(p[t] * inv)) : f32(p[t] * inv)) * vc[t * KD + kh * D + d];
          att[qo + d] = s;
        }
      }
    }
    const o = this.#project(rmsNorm(att, N, C, w.attnSubNorm, c.normEps), N, w.o);
    for (let i = 0; i < N * C; i++) x[i] = x[i] + o[i];
    const f = rmsNorm(x, N, C, w.ffnNorm, c.normEps);
    const g = this.#project(f, N, w.gate);
    const u = this.#project(f, N, w.up);
    const F = c.ffnDim;
    for (let i = 0; i < N * F; i++) {
      const gi = g[i];
      const act = c.hiddenActivation === "silu" ? f32(gi / f32(1 + f32(Math.exp(-gi)))) : gi > 0 ? f32(gi * gi) : 0;
      g[i] = act * u[i];
    }
    const dn = this.#project(rmsNorm(g, N, F, w.ffnSubNorm, c.normEps), N, w.down);
    for (let i = 0; i < N * C; i++) x[i] = x[i] + dn[i];
  }

  /** x `[N, in]` to `[N, out]` with the mode's activation treatment. */
  #project(x: Float32Array, N: number, p: TernaryProjection): Float32Array {
    const I = p.inFeatures;
    const O = p.outFeatures;
    const gc = p.groupColumns;
    const G = Math.ceil(I / gc);
    const y = new Float32Array(N * O);
    const codes = p.codes;
    if (this.mode === "float") {
      for (let n = 0; n < N; n++) {
        for (let o = 0; o < O; o++) {
          let acc = 0;
          for (let g = 0; g < G; g++) {
            let s = 0;
            const end = Math.min(I, (g + 1) * gc);
            for (let i = g * gc; i < end; i++) {
              const t = codes[o * I + i];
              if (t !== 0) s += t > 0 ? x[n * I + i] : -x[n * I + i];
            }
            acc += s * p.scales[o * G + g];
          }
          y[n * O + o] = acc;
        }
      }
      return y;
    }
    const q = new Int32Array(I);
    if (this.mode === "int8") {
      const { bits, eps, rounding } = this.weights.int8;
      const qp = 2 ** (bits - 1) - 1;
      const rnd = rounding === "half-even" ? roundHalfEven : roundHalfAway;
      for (let n = 0; n < N; n++) {
        let amax = 0;
        for (let i = 0; i < I; i++) amax = Math.max(amax, Math.abs(x[n * I + i]));
        const sx = qp / Math.max(amax, eps);
        for (let i = 0; i < I; i++) {
          const r = rnd(x[n * I + i] * sx);
          q[i] = r > qp ? qp : r < -qp - 1 ? -qp - 1 : r;
        }
        const sx32 = f32(sx);
        for (let o = 0; o < O; o++) {
          let acc = 0;
          for (let g = 0; g < G; g++) {
            let s = 0;
            const end = Math.min(I, (g + 1) * gc);
            for (let i = g * gc; i < end; i++) s += codes[o * I + i] * q[i];
            acc += p.scales[o * G + g] * s;
          }
          y[n * O + o] = acc / sx32;
        }
      }
      return y;
    }
    // q8_K: per 256-block d = 1/iscale with iscale = -127/max (max: the signed value of largest magnitude).
    const B = I / 256;
    const d = new Float32Array(B);
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < B; b++) {
        let amax = 0;
        let max = 0;
        for (let i = b * 256; i < (b + 1) * 256; i++) {
          const v = x[n * I + i];
          if (Math.abs(v) > amax) {
            amax = Math.abs(v);
            max = v;
          }
        }
        if (amax === 0) {
          d[b] = 0;
          for (let i = b * 256; i < (b + 1) * 256; i++) q[i] = 0;
          continue;
        }
        const iscale = f32(-127 / max);
        for (let i = b * 256; i < (b + 1) * 256; i++) q[i] = Math.min(127, roundHalfEven(f32(iscale * x[n * I + i])));
        d[b] = f32(1 / iscale);
      }
      for (let o = 0; o < O; o++) {
        let acc = 0;
        for (let b = 0; b < B; b++) {
          let s = 0;
          for (let i = b * 256; i < (b + 1) * 256; i++) s += codes[o * I + i] * q[i];
          acc += f32(s * d[b]) * (p.scales[o * G + Math.floor((b * 256) / gc)]);
        }
        y[n * O + o] = acc;
      }
    }
    return y;
  }
}

/**
 * RMSNorm of N rows of length C as ggml computes it: each square in float,
 * their sum in double, mean and 1/√(mean + eps) in float, then `x · scale · w`.
 *
 * @example
 * ```ts
 * rmsNorm(Float32Array.of(3, 4), 1, 2, Float32Array.of(1, 1), 0); // ≈ [0.8485, 1.1314]
 * ```
 */
export function rmsNorm(x: Float32Array, N: number, C: number, w: Float32Array, eps: number): Float32Array {
  const out = new Float32Array(N * C);
  for (let n = 0; n < N; n++) {
    let sum = 0;
    for (let i = 0; i < C; i++) sum += f32(x[n * C + i] * x[n * C + i]);
    const mean = f32(sum / C);
    const scale = f32(1 / f32(Math.sqrt(f32(mean + f32(eps)))));
    for (let i = 0; i < C; i++) out[n * C + i] = f32(x[n * C + i] * scale) * w[i];
  }
  return out;
}

/** The reference weights of a model: codes and scales of every projection, float32 copies of the rest. */
export function referenceWeights(model: BitNetModel): InferenceWeights {
  const host = (name: string): Float32Array => Float32Array.from(model.getParameter(name).value.contiguous().dataSync());
  return {
    config: model.config,
    embedding: host("embed_tokens.weight"),
    outputNorm: host("norm.weight"),
    layers: model.layers.map((l, i) => ({
      attnNorm: host(`layers.${i}.input_layernorm.weight`),
      attnSubNorm: host(`layers.${i}.self_attn.attn_sub_norm.weight`),
      ffnNorm: host(`layers.${i}.post_attention_layernorm.weight`),
      ffnSubNorm: host(`layers.${i}.mlp.ffn_sub_norm.weight`),
      q: ternaryProjection(l.self_attn.q_proj),
      k: ternaryProjection(l.self_attn.k_proj),
      v: ternaryProjection(l.self_attn.v_proj),
      o: ternaryProjection(l.self_attn.o_proj),
      gate: ternaryProjection(l.mlp.gate_proj),
      up: ternaryProjection(l.mlp.up_proj),
      down: ternaryProjection(l.mlp.down_proj),
    })),
    int8: { bits: model.quant.activationBits, eps: model.quant.eps, rounding: model.quant.rounding },
  };
}

/** Whether a layer part is a ternary projection (it has `codes`), not a norm weight. */
function isTernaryProjection(p: unknown): p is TernaryProjection {
  return typeof p === "object" && p !== null && "codes" in p;
}
