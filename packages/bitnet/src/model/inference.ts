// BitNetInference: the cached forward pass that `generate` and `logits` run,
// over frozen BitLinear projections. Every projection is `BitLinear.project`
// (the shared activation quantizer and the backend's packed `ternaryMatmul`:
// the CPU lookup-table kernels, WebGPU, or any backend holding the weights);
// every RMSNorm is `rmsNormTensor`; the lm_head is the backend's float
// matmul. What stays here is the glue: embedding lookup, NEOX RoPE with
// ggml's tables, causal softmax attention over the KV cache (in ggml's
// float32 operation order; with an fp16 cache, q and the probabilities are
// rounded to fp16 as llama.cpp's F16 matmuls do), the gated FFN activation,
// and the residual adds. Not the training path (bitnet-model.ts) and not
// sampling (sampling.ts).
//
// The pass is written once as a generator that yields tensors it needs on
// the host; `forward` reads them synchronously (CPU and other synchronous
// backends), `forwardAsync` awaits them (WebGPU).
//
// Shapes: N tokens in a call, C dim, H heads, K kv heads, D head size,
// F ffnDim, V vocab; activations are row-major [N, C].
import { type Backend, type Tensor, add, div, exp, getBackend, indexSelect, matmul, mul, neg, relu, tensor } from "@bitnet-quantize/tensor";
import type { ActivationMode } from "../activation-mode.js";
import type { BitLinear } from "../bit-linear.js";
import { BitNetError } from "../errors.js";
import { rmsNormTensor } from "../rms-norm.js";
import { roundToFloat16 } from "./float16.js";
import { KVCache, type KVCacheType } from "./kv-cache.js";
import type { BitNetModelConfig, HiddenActivation } from "./model-config.js";
import { type RopeTables, ropeInPlace, ropeTables } from "./rope.js";

/**
 * The weights of one decoder layer: norm weights `[C]` (`[F]` for the FFN
 * sub-norm) and the seven frozen projections.
 *
 * @example
 * ```ts
 * const l: LayerWeights = model.inferenceWeights().layers[0];
 * l.q.isFrozen; // true
 * ```
 */
export interface LayerWeights {
  readonly attnNorm: Tensor;
  readonly attnSubNorm: Tensor;
  readonly ffnNorm: Tensor;
  readonly ffnSubNorm: Tensor;
  readonly q: BitLinear;
  readonly k: BitLinear;
  readonly v: BitLinear;
  readonly o: BitLinear;
  readonly gate: BitLinear;
  readonly up: BitLinear;
  readonly down: BitLinear;
}

/**
 * Everything the inference pass reads: the config, the embedding `[V, C]`
 * (also the tied lm_head), the output norm and the layers.
 *
 * @example
 * ```ts
 * const w: InferenceWeights = model.inferenceWeights();
 * w.layers.length; // cfg.layers
 * ```
 */
export interface InferenceWeights {
  readonly config: BitNetModelConfig;
  readonly embedding: Tensor;
  readonly outputNorm: Tensor;
  readonly layers: readonly LayerWeights[];
}

/**
 * Options of the inference pass.
 *
 * @example
 * ```ts
 * const opts: InferenceOptions = { activations: "q8_K", kvCache: "f16" }; // llama.cpp's default run on a TQ file
 * ```
 */
export interface InferenceOptions {
  /** Projection input treatment (default `"int8"`, as trained); see {@link ActivationMode}. */
  readonly activations?: ActivationMode;
  /** KV cache precision (default `"f32"`; `"f16"` is llama.cpp's default). */
  readonly kvCache?: KVCacheType;
  /** Where activations live and projections run (default: the embedding's backend). Weights are copied there once. */
  readonly backend?: Backend;
  /**
   * How the tied lm_head sees the final normed activations: `"f32"` (default)
   * or `"f16"`, rounded to fp16 as llama.cpp's CPU backend does before a dot
   * product with an F16 `token_embd`.
   */
  readonly lmHeadInput?: "f32" | "f16";
}

const f32 = Math.fround;

/**
 * The FFN activation of the gate times up, on the backend: SiLU (`g / (1 + e^-g)`)
 * or squared ReLU. The one place a new activation goes.
 *
 * @example
 * ```ts
 * ffnActivation(gate, up, "silu"); // silu(gate) · up
 * ```
 */
export function ffnActivation(gate: Tensor, up: Tensor, act: HiddenActivation): Tensor {
  switch (act) {
    case "silu":
      return mul(div(gate, add(exp(neg(gate)), 1)), up);
    case "relu2": {
      const r = relu(gate);
      return mul(mul(r, r), up);
    }
    default:
      throw new BitNetError(`ffnActivation: unknown activation ${JSON.stringify(act)}`);
  }
}

/** A tensor the pass needs on the host, and the slot the host copy comes back in. */
type Need = Tensor;

/**
 * The inference pass over frozen weights.
 *
 * @example
 * ```ts
 * const inf = new BitNetInference(model.inferenceWeights(), { activations: "float" });
 * const cache = inf.newCache();
 * const logits = inf.forward([1, 42, 7], cache, true); // Float32Array [3 * V]
 * ```
 */
export class BitNetInference {
  readonly weights: InferenceWeights;
  readonly mode: ActivationMode;
  readonly kvCache: KVCacheType;
  readonly lmHeadInput: "f32" | "f16";
  readonly backend: Backend;
  readonly #rope: RopeTables;
  readonly #onBackend = new Map<Tensor, Tensor>();

  /**
   * Prepares the RoPE tables; `"q8_K"` needs row lengths that are multiples of 256.
   *
   * @example
   * ```ts
   * new BitNetInference(model.inferenceWeights(), { activations: "float" }).mode; // "float"
   * ```
   */
  constructor(weights: InferenceWeights, opts: InferenceOptions | ActivationMode = {}) {
    const o: InferenceOptions = typeof opts === "string" ? { activations: opts } : opts;
    this.weights = weights;
    this.mode = o.activations ?? "int8";
    this.kvCache = o.kvCache ?? "f32";
    this.lmHeadInput = o.lmHeadInput ?? "f32";
    if (this.lmHeadInput !== "f32" && this.lmHeadInput !== "f16") throw new BitNetError(`BitNetInference: lmHeadInput must be "f32" or "f16", got ${JSON.stringify(this.lmHeadInput)}`);
    this.backend = o.backend ?? weights.embedding.backend ?? getBackend();
    if (this.mode !== "int8" && this.mode !== "float" && this.mode !== "q8_K") {
      throw new BitNetError(`BitNetInference: unknown activation mode ${JSON.stringify(this.mode)}`);
    }
    const c = weights.config;
    this.#rope = ropeTables(c.contextLength, c.dim / c.heads, c.ropeTheta);
    if (this.mode === "q8_K") {
      for (const [i, l] of weights.layers.entries()) {
        for (const [n, p] of Object.entries(l)) {
          if (typeof p !== "object" || !("inFeatures" in p)) continue;
          const layer = p as BitLinear;
          if (layer.inFeatures % 256 !== 0) throw new BitNetError(`BitNetInference: "q8_K" needs row lengths that are multiples of 256; layer ${i} ${n} has ${layer.inFeatures}`);
        }
      }
    }
  }

  /** An empty cache sized for the context length, of this pass's precision. @example `inf.newCache().capacity; // contextLength` */
  newCache(): KVCache {
    const c = this.weights.config;
    return new KVCache(c.layers, c.contextLength, c.kvHeads * (c.dim / c.heads), this.kvCache);
  }

  /**
   * Runs `ids` at positions `cache.length ..`, appends their keys and values,
   * and returns the logits: `[N, V]` for every token with `all`, else `[V]`
   * for the last one. Needs a backend with synchronous reads (CPU); use
   * {@link forwardAsync} on WebGPU.
   *
   * @example
   * ```ts
   * inf.forward([1, 5], cache, false).length; // V
   * ```
   */
  forward(ids: readonly number[], cache: KVCache, all = false): Float32Array {
    if (this.backend.readSync === undefined) throw new BitNetError(`BitNetInference.forward: backend ${this.backend.name} has no synchronous reads; use forwardAsync`);
    const steps = this.#steps(ids, cache, all);
    let r = steps.next();
    while (r.done !== true) r = steps.next(hostFloats(r.value.dataSync()));
    return r.value;
  }

  /**
   * {@link forward} for any backend: awaits each read (WebGPU).
   *
   * @example
   * ```ts
   * const logits = await inf.forwardAsync([1, 5], cache);
   * ```
   */
  async forwardAsync(ids: readonly number[], cache: KVCache, all = false): Promise<Float32Array> {
    const steps = this.#steps(ids, cache, all);
    let r = steps.next();
    while (r.done !== true) r = steps.next(hostFloats(await r.value.data()));
    return r.value;
  }

  /** A weight tensor on this pass's backend (copied once). */
  #on(t: Tensor): Tensor {
    if (t.backend === this.backend) return t;
    let c = this.#onBackend.get(t);
    if (c === undefined) {
      c = t.to(this.backend);
      this.#onBackend.set(t, c);
    }
    return c;
  }

  *#steps(ids: readonly number[], cache: KVCache, all: boolean): Generator<Need, Float32Array, Float32Array> {
    const c = this.weights.config;
    const N = ids.length;
    const C = c.dim;
    const V = c.vocabSize;
    if (N === 0) throw new BitNetError("BitNetInference.forward: no tokens");
    if (cache.kvDim !== c.kvHeads * (C / c.heads) || cache.layers !== c.layers) throw new BitNetError("BitNetInference.forward: the cache does not fit this model; make it with newCache()");
    if (cache.length + N > cache.capacity) throw new BitNetError(`BitNetInference.forward: ${cache.length} cached + ${N} new positions exceed the context length ${cache.capacity}`);
    for (let n = 0; n < N; n++) {
      const id = ids[n];
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new BitNetError(`BitNetInference.forward: token id ${id} at ${n} is outside the vocabulary (0..${V - 1})`);
    }
    // the embedding rows of the ids, gathered where the embedding lives (only N rows travel)
    const rowsOf = indexSelect(this.#on(this.weights.embedding), 0, tensor(Int32Array.from(ids), [N], "int32", this.backend));
    const x = Float32Array.from(yield rowsOf);
    const start = cache.length;
    for (let l = 0; l < c.layers; l++) yield* this.#layer(l, x, N, start, cache);
    cache.advance(N);
    const rows = all ? N : 1;
    let h = rmsNormTensor(this.#tensor(x.subarray((N - rows) * C), [rows, C]), c.normEps, this.#on(this.weights.outputNorm));
    if (this.lmHeadInput === "f16") {
      const hh = Float32Array.from(yield h, roundToFloat16);
      h = this.#tensor(hh, [rows, C]);
    }
    const logits = matmul(h, this.#on(this.weights.embedding).transpose());
    return Float32Array.from(yield logits);
  }

  #tensor(data: Float32Array, shape: number[]): Tensor {
    return tensor(data, shape, "float32", this.backend);
  }

  *#layer(l: number, x: Float32Array, N: number, start: number, cache: KVCache): Generator<Need, void, Float32Array> {
    const c = this.weights.config;
    const w = this.weights.layers[l];
    const mode = this.mode;
    const C = c.dim;
    const H = c.heads;
    const K = c.kvHeads;
    const D = C / H;
    const G = H / K;
    const KD = K * D;
    const f16 = cache.type === "f16";
    const a = rmsNormTensor(this.#tensor(x, [N, C]), c.normEps, this.#on(w.attnNorm));
    // copies: a host read may alias storage the next op reuses
    const q = Float32Array.from(yield w.q.project(a, mode));
    const k = Float32Array.from(yield w.k.project(a, mode));
    const v = yield w.v.project(a, mode);
    const kc = cache.keys[l];
    const vc = cache.values[l];
    for (let n = 0; n < N; n++) {
      const pos = start + n;
      for (let h = 0; h < H; h++) ropeInPlace(q, n * C + h * D, D, this.#rope, pos);
      for (let h = 0; h < K; h++) ropeInPlace(k, n * KD + h * D, D, this.#rope, pos);
      cache.write(l, pos, k.subarray(n * KD, (n + 1) * KD), v.subarray(n * KD, (n + 1) * KD));
    }
    // llama.cpp's F16 cache: K·q and V·p are F16 matmuls, which round q and p to fp16
    if (f16) for (let i = 0; i < q.length; i++) q[i] = roundToFloat16(q[i]);
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
        for (let t = 0; t < T; t++) {
          const pt = f32(p[t] * inv);
          p[t] = f16 ? roundToFloat16(pt) : pt;
        }
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (let t = 0; t < T; t++) s += p[t] * vc[t * KD + kh * D + d];
          att[qo + d] = s;
        }
      }
    }
    const o = yield w.o.project(rmsNormTensor(this.#tensor(att, [N, C]), c.normEps, this.#on(w.attnSubNorm)), mode);
    for (let i = 0; i < N * C; i++) x[i] = x[i] + o[i];
    const f = rmsNormTensor(this.#tensor(Float32Array.from(x), [N, C]), c.normEps, this.#on(w.ffnNorm));
    const g = ffnActivation(w.gate.project(f, mode), w.up.project(f, mode), c.hiddenActivation);
    const dn = yield w.down.project(rmsNormTensor(g, c.normEps, this.#on(w.ffnSubNorm)), mode);
    for (let i = 0; i < N * C; i++) x[i] = x[i] + dn[i];
  }
}

/** A host read as float32 (the pass's tensors are float32; a copy only if not). */
function hostFloats(data: ArrayLike<number>): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
