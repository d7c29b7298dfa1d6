// BitNetInference: the cached forward pass that `generate` and `logits` run,
// over frozen BitLinear projections. Every projection is `BitLinear.project`
// (the shared activation quantizer and the backend's packed `ternaryMatmul`:
// the CPU lookup-table kernels, WebGPU, or any backend holding the weights);
// layers that read one input (q, k, v; gate, up) share one prepared,
// quantized input and run as one `BitLinear.projectMany` (the backend's
// `ternaryMatmulMany` where it has one: on the CPU, one job for the kernel
// threads instead of one per projection); the lm_head is the backend's float matmul. What stays
// here is the glue: embedding lookup, NEOX RoPE with ggml's tables, causal
// attention over the KV cache (cached-attention.ts), the RMSNorms, the gated
// FFN activation, and the residual adds. Not the training path
// (bitnet-model.ts) and not sampling (sampling.ts).
//
// The pass is written once as a generator that yields tensors it needs on
// the host; `forward` reads them synchronously (CPU and other synchronous
// backends), `forwardAsync` awaits them (WebGPU). On a backend with
// synchronous reads the activations stay on the host between projections:
// RMSNorm (`rmsNormRows`), the FFN activation (`ffnActivationRows`) and the
// activation quantizer (`BitLinear.prepareRows`) run as host loops,
// bit-identical to the tensor ops (`rmsNormTensor`, `ffnActivation`,
// `BitLinear.prepare`) that run everywhere else.
//
// `arithmetic: "ggml"` (with "q8_K" activations and the fp16 cache, on the
// host) follows llama.cpp's CPU backend bit for bit:
// the projections run ggml's TQ2_0 x Q8_K dot lanes (`BitLinear.projectGgml`,
// tensor's `ternaryMatmulQ8KGgml`), and the host loops ggml-float.ts: RoPE
// with ggml's FMAs, the attention's dot lanes and vector exp over the fp16
// cache, ggml's vector SiLU, and its fp16 or f32 dot lanes for the lm_head
// (`lmHeadInput` says which type the file's `token_embd` is). What
// still differs: glibc's cosf/sinf in RoPE's tables. The default `"fast"`
// runs the library's own kernels and loops.
//
// Shapes: N tokens in a call, C dim, H heads, K kv heads, D head size,
// F ffnDim, V vocab; activations are row-major [N, C].
import { type Backend, type Tensor, getBackend, indexSelect, matmul, tensor } from "@bitnet-quantize/tensor";
import type { ActivationMode } from "../activation-mode.js";
import { ARITHMETICS, type Arithmetic } from "../arithmetic.js";
import { BitLinear, type ProjectionInput } from "../bit-linear.js";
import { BitNetError } from "../errors.js";
import { rmsNormRows, rmsNormTensor } from "../rms-norm.js";
import { cachedAttention, cachedAttentionGgml } from "./cached-attention.js";
import { ffnActivation, ffnActivationRows, ffnActivationRowsGgml } from "./ffn-activation.js";
import { roundToFloat16 } from "./float16.js";
import { dotF16Ggml, dotF32Ggml, dotTinyBlas16 } from "./ggml-float.js";
import { KVCache, type KVCacheType } from "./kv-cache.js";
import type { BitNetModelConfig } from "./model-config.js";
import { type RopeTables, ropeInPlace, ropeInPlaceGgml, ropeTables, ropeTablesGgml } from "./rope.js";

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
 * const exact: InferenceOptions = { activations: "q8_K", kvCache: "f16", lmHeadInput: "f16", arithmetic: "ggml" }; // its bits
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
  /**
   * The float arithmetic (see {@link Arithmetic}): `"fast"` (default), the
   * library's kernels and loops, within float rounding of llama.cpp; or
   * `"ggml"`, llama.cpp b4747's CPU backend emulated bit for bit (its TQ2_0 x
   * Q8_K dot lanes for every projection, its FMAs in RoPE, its attention and
   * SiLU lanes, its fp16 lm_head dot), so that the logits equal llama.cpp's
   * for a TQ2_0 file (all but RoPE's sin/cos tables, which can differ by an
   * ulp at some positions). Slower. Needs `activations: "q8_K"`,
   * `kvCache: "f16"` and a backend with synchronous reads (CPU); anything
   * else throws. `lmHeadInput` must name the file's `token_embd` type:
   * `"f16"` for F16 (llama.cpp's fp16 dot), `"f32"` for F32 (its f32 dot).
   */
  readonly arithmetic?: Arithmetic;
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
  readonly arithmetic: Arithmetic;
  readonly backend: Backend;
  readonly #rope: RopeTables;
  readonly #onBackend = new Map<Tensor, Tensor>();
  /** Host copies of the norm weights (tensors are immutable), for the host path. */
  readonly #onHost = new Map<Tensor, Float32Array>();
  /** Whether activations stay on the host between projections (the backend reads synchronously). */
  readonly #host: boolean;
  /** `"ggml"` arithmetic: projections and host loops emulate llama.cpp's CPU backend (projectGgml, ggml-float.ts). */
  readonly #ggml: boolean;

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
    this.#host = this.backend.readSync !== undefined;
    if (this.mode !== "int8" && this.mode !== "float" && this.mode !== "q8_K") {
      throw new BitNetError(`BitNetInference: unknown activation mode ${JSON.stringify(this.mode)}`);
    }
    this.arithmetic = o.arithmetic ?? "fast";
    if (!ARITHMETICS.includes(this.arithmetic)) throw new BitNetError(`BitNetInference: arithmetic must be "fast" or "ggml", got ${JSON.stringify(this.arithmetic)}`);
    this.#ggml = this.arithmetic === "ggml";
    if (this.#ggml) {
      const needs = (what: string, got: string): BitNetError => new BitNetError(`BitNetInference: arithmetic "ggml" (llama.cpp's CPU backend, bit for bit) needs ${what}; got ${got}`);
      if (this.mode !== "q8_K") throw needs(`activations "q8_K"`, JSON.stringify(this.mode));
      if (this.kvCache !== "f16") throw needs(`kvCache "f16"`, JSON.stringify(this.kvCache));
      if (!this.#host) throw needs("a backend with synchronous reads (CPU)", `backend ${this.backend.name}`);
    }
    const c = weights.config;
    this.#rope = (this.#ggml ? ropeTablesGgml : ropeTables)(c.contextLength, c.dim / c.heads, c.ropeTheta);
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

  /** A norm weight's values on the host (read once). */
  #hostWeight(t: Tensor): Float32Array {
    let c = this.#onHost.get(t);
    if (c === undefined) {
      c = this.#on(t).cast("float32").dataSync();
      this.#onHost.set(t, c);
    }
    return c;
  }

  /** The projection input of `x` ([N, C] on the host, or a tensor), for `layer` and the layers that share it. */
  #prepare(layer: BitLinear, x: Float32Array | Tensor, N: number): ProjectionInput {
    return x instanceof Float32Array ? layer.prepareRows(x, N, this.mode, this.backend) : layer.prepare(x, this.mode);
  }

  /** RMSNorm of `x` ([N, C] host rows) with `weight`: a host loop (into `out` when given, which may be x), or tensor ops off the host. */
  #norm(x: Float32Array, C: number, weight: Tensor, out: Float32Array | undefined): Float32Array | Tensor {
    const eps = this.weights.config.normEps;
    if (this.#host) return rmsNormRows(x, C, eps, this.#hostWeight(weight), out);
    // a copy: the pass goes on writing x (uploads copy too, but without relying on when)
    return rmsNormTensor(this.#tensor(x.slice(), [x.length / C, C]), eps, this.#on(weight));
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
    const ws = this.#host ? new Workspace(N, c) : undefined;
    for (let l = 0; l < c.layers; l++) yield* this.#layer(l, x, N, start, cache, ws);
    cache.advance(N);
    const rows = all ? N : 1;
    let h = this.#norm(x.subarray((N - rows) * C), C, this.weights.outputNorm, undefined);
    if (this.lmHeadInput === "f16") {
      const hh = h instanceof Float32Array ? h : yield h;
      h = Float32Array.from(hh, roundToFloat16);
    }
    if (this.#ggml) return this.#lmHeadGgml(h as Float32Array, rows); // on the host: "ggml" needs synchronous reads
    const logits = matmul(h instanceof Float32Array ? this.#tensor(h, [rows, C]) : h, this.#on(this.weights.embedding).transpose());
    return (yield logits).slice();
  }

  /**
   * The tied lm_head as llama.cpp computes it for an F16 (`lmHeadInput`
   * "f16") or F32 ("f32") `token_embd`: each logit a dot in ggml's lane order
   * (tinyBLAS for two or more rows when C is a multiple of 16 and V of 4,
   * else ggml_vec_dot_f16 or ggml_vec_dot_f32).
   */
  #lmHeadGgml(h: Float32Array, rows: number): Float32Array {
    const C = this.weights.config.dim;
    const V = this.weights.config.vocabSize;
    const emb = this.#hostWeight(this.weights.embedding);
    const tiny = rows >= 2 && C % 16 === 0 && V % 4 === 0;
    const vecDot = this.lmHeadInput === "f16" ? dotF16Ggml : dotF32Ggml;
    const logits = new Float32Array(rows * V);
    for (let r = 0; r < rows; r++) {
      for (let v = 0; v < V; v++) logits[r * V + v] = tiny ? dotTinyBlas16(emb, v * C, 1, h, r * C, 1, C) : vecDot(emb, v * C, 1, h, r * C, 1, C);
    }
    return logits;
  }

  #tensor(data: Float32Array, shape: number[]): Tensor {
    return tensor(data, shape, "float32", this.backend);
  }

  /**
   * The projections of one prepared input by `layers`, as host arrays: on a
   * host backend written into `outs` (this call's reused buffers, no tensor
   * made) or, in "ggml" arithmetic, read from `projectGgml`; elsewhere
   * yielded tensors read back as copies this pass may overwrite.
   */
  *#projections(layers: readonly BitLinear[], input: ProjectionInput, outs: readonly Float32Array[] | undefined): Generator<Need, Float32Array[], Float32Array> {
    if (this.#ggml) return layers.map((l) => hostFloats(l.projectGgml(input).dataSync()));
    if (outs !== undefined) {
      BitLinear.projectManyInto(layers, input, outs);
      return [...outs];
    }
    const ys: Float32Array[] = [];
    for (const t of BitLinear.projectMany(layers, input)) ys.push((yield t).slice());
    return ys;
  }

  *#layer(l: number, x: Float32Array, N: number, start: number, cache: KVCache, ws: Workspace | undefined): Generator<Need, void, Float32Array> {
    const c = this.weights.config;
    const w = this.weights.layers[l];
    const C = c.dim;
    const H = c.heads;
    const K = c.kvHeads;
    const D = C / H;
    const KD = K * D;
    // q, k and v read one normed input, quantized once
    const a = this.#prepare(w.q, this.#norm(x, C, w.attnNorm, ws?.xn), N);
    const [q, k, v] = yield* this.#projections([w.q, w.k, w.v], a, ws && [ws.q, ws.k, ws.v]);
    const rope = this.#ggml ? ropeInPlaceGgml : ropeInPlace;
    for (let n = 0; n < N; n++) {
      const pos = start + n;
      for (let h = 0; h < H; h++) rope(q, n * C + h * D, D, this.#rope, pos);
      for (let h = 0; h < K; h++) rope(k, n * KD + h * D, D, this.#rope, pos);
      cache.write(l, pos, k.subarray(n * KD, (n + 1) * KD), v.subarray(n * KD, (n + 1) * KD));
    }
    const att = ws?.att ?? new Float32Array(N * C);
    const attention = this.#ggml ? cachedAttentionGgml : cachedAttention;
    attention(q, cache.keys[l], cache.values[l], att, { N, start, heads: H, kvHeads: K, headDim: D, f16: cache.type === "f16" });
    const [o] = yield* this.#projections([w.o], this.#prepare(w.o, this.#norm(att, C, w.attnSubNorm, att), N), ws && [ws.out]);
    for (let i = 0; i < N * C; i++) x[i] = x[i] + o[i];
    // gate and up read one normed input, quantized once
    const f = this.#prepare(w.gate, this.#norm(x, C, w.ffnNorm, ws?.xn), N);
    let hidden: Float32Array | Tensor;
    if (this.#host) {
      const [g, u] = yield* this.#projections([w.gate, w.up], f, ws && [ws.gate, ws.up]);
      const act = this.#ggml ? ffnActivationRowsGgml(g, u, c.hiddenActivation, c.ffnDim, g) : ffnActivationRows(g, u, c.hiddenActivation, g);
      hidden = rmsNormRows(act, c.ffnDim, c.normEps, this.#hostWeight(w.ffnSubNorm), g);
    } else {
      const [gt, ut] = BitLinear.projectMany([w.gate, w.up], f);
      hidden = rmsNormTensor(ffnActivation(gt, ut, c.hiddenActivation), c.normEps, this.#on(w.ffnSubNorm));
    }
    const [dn] = yield* this.#projections([w.down], this.#prepare(w.down, hidden, N), ws && [ws.out]);
    for (let i = 0; i < N * C; i++) x[i] = x[i] + dn[i];
  }
}

/**
 * One forward call's host buffers, reused by every layer (a decode step
 * allocates these few rows instead of new arrays per projection): the
 * normed input, q, k, v, the attention output, the o and down projections,
 * gate and up.
 */
class Workspace {
  readonly xn: Float32Array;
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly att: Float32Array;
  readonly out: Float32Array;
  readonly gate: Float32Array;
  readonly up: Float32Array;

  constructor(N: number, c: BitNetModelConfig) {
    const kvDim = c.kvHeads * (c.dim / c.heads);
    this.xn = new Float32Array(N * c.dim);
    this.q = new Float32Array(N * c.dim);
    this.k = new Float32Array(N * kvDim);
    this.v = new Float32Array(N * kvDim);
    this.att = new Float32Array(N * c.dim);
    this.out = new Float32Array(N * c.dim);
    this.gate = new Float32Array(N * c.ffnDim);
    this.up = new Float32Array(N * c.ffnDim);
  }
}

/** A host read as float32 (the pass's tensors are float32; a copy only if not). */
function hostFloats(data: ArrayLike<number>): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
