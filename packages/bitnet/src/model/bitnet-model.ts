// BitNetModel: a decoder-only BitNet b1.58 transformer that computes what
// llama.cpp's `bitnet` architecture computes (pre-norm RMSNorm, NEOX RoPE,
// grouped-query causal attention, attention and FFN sub-norms, gated FFN,
// output norm, tied embeddings as the lm_head), every projection a
// BitLinear. `forward` is the training path (autograd); `logits` and
// `generate` run the cached inference pass (inference.ts) over frozen
// BitLinears and the backend's packed ternary kernels.
//
// Shapes: B batch, T time, C = dim channels, V vocab; ids [B, T] -> logits [B, T, V].
import { type Var, noGrad } from "@bitnet-quantize/autograd";
import { Embedding, Module, RMSNorm } from "@bitnet-quantize/autograd/nn";
import { type Tensor, Generator, randn, tensor, zeros } from "@bitnet-quantize/tensor";
import type { ActivationMode } from "../activation-mode.js";
import type { BitLinear } from "../bit-linear.js";
import { BitNetConfig } from "../config.js";
import { BitNetError } from "../errors.js";
import type { AttentionInputs } from "./attention.js";
import { BitNetDecoderLayer } from "./decoder-layer.js";
import { BitNetInference, type InferenceOptions, type InferenceWeights } from "./inference.js";
import { type BitNetModelConfig, type BitNetModelConfigInput, resolveModelConfig } from "./model-config.js";
import { type RopeTables, ropeTables, ropeTensors } from "./rope.js";
import { type SampleOptions, sampleToken } from "./sampling.js";

/**
 * Options of the {@link BitNetModel} constructor.
 *
 * @example
 * ```ts
 * const opts: BitNetModelOptions = { quant: BitNetConfig.default(), seed: 7 };
 * ```
 */
export interface BitNetModelOptions {
  /** How every BitLinear quantizes (default `BitNetConfig.default()`: per-tensor ternary, per-token int8). */
  readonly quant?: BitNetConfig;
  /** Seed of the initial weights (default 0). */
  readonly seed?: number;
  /**
   * `"random"` (default): initialised weights. `"empty"`: no weight storage
   * (projections to be loaded with `BitLinear.loadPacked`, the embedding and
   * norms assigned): what a loader builds an inference model from.
   */
  readonly init?: "random" | "empty";
}

/**
 * Options of {@link BitNetModel.generate}.
 *
 * @example
 * ```ts
 * const opts: GenerateOptions = { maxTokens: 32, temperature: 0.8, topK: 20, seed: 1, eosId: 2 };
 * ```
 */
export interface GenerateOptions extends SampleOptions, InferenceOptions {
  /** New tokens at most (default 32). */
  readonly maxTokens?: number;
  /** Seed of the sampler (default 0); unused at temperature 0. */
  readonly seed?: number;
  /** Stop after the end-of-sequence id (default: none). */
  readonly eosId?: number;
}

/**
 * The BitNet b1.58 language model. Parameter names follow Hugging Face:
 * `embed_tokens.weight`, `layers.N.input_layernorm.weight`,
 * `layers.N.self_attn.{q,k,v,o}_proj.weight`, `layers.N.self_attn.attn_sub_norm.weight`,
 * `layers.N.post_attention_layernorm.weight`, `layers.N.mlp.{gate,up,down}_proj.weight`,
 * `layers.N.mlp.ffn_sub_norm.weight`, `norm.weight`; the lm_head is `embed_tokens` (tied).
 *
 * @example
 * ```ts
 * const model = new BitNetModel({ vocabSize: 300, dim: 256, layers: 2, heads: 4, kvHeads: 2, ffnDim: 512, contextLength: 64 });
 * const logits = model.forward(tensor([[1, 5, 9]], [1, 3], "int32")); // Var [1, 3, 300]
 * model.generate([1, 5], { maxTokens: 4 }); // 4 ids (greedy)
 * model.generate([1, 5], { maxTokens: 4, activations: "q8_K", kvCache: "f16" }); // llama.cpp's numerics
 * model.generate([1, 5], { maxTokens: 4, activations: "q8_K", kvCache: "f16", lmHeadInput: "f16", arithmetic: "ggml" }); // llama.cpp's bits
 * ```
 */
export class BitNetModel extends Module<Tensor, Var> {
  readonly config: BitNetModelConfig;
  readonly quant: BitNetConfig;
  embed_tokens: Embedding;
  layers: BitNetDecoderLayer[];
  norm: RMSNorm;
  readonly #rope: RopeTables;

  /**
   * A freshly initialised model: embeddings N(0, 1/C), BitLinear projections
   * uniform(±1/√in) with distinct seeds, norm weights 1.
   *
   * @example
   * ```ts
   * new BitNetModel({ vocabSize: 300, dim: 256, layers: 2, heads: 4 }, { seed: 1 }).config.kvHeads; // 4
   * ```
   */
  constructor(config: BitNetModelConfigInput, opts: BitNetModelOptions = {}) {
    super();
    this.config = resolveModelConfig(config);
    this.quant = opts.quant ?? BitNetConfig.default();
    const c = this.config;
    const seed = opts.seed ?? 0;
    const empty = opts.init === "empty";
    this.embed_tokens = new Embedding(c.vocabSize, c.dim);
    // N(0, 1/C): with tied embeddings the initial logits have unit scale.
    this.embed_tokens.weight.value = empty
      ? zeros([1, 1]).expand([c.vocabSize, c.dim])
      : randn([c.vocabSize, c.dim], { generator: new Generator(seed) }).mul(1 / Math.sqrt(c.dim));
    this.layers = Array.from({ length: c.layers }, (_, i) => new BitNetDecoderLayer(c, this.quant, seed * 1000 + 1 + i * 7, empty ? "empty" : "uniform"));
    this.norm = new RMSNorm(c.dim, { eps: c.normEps });
    this.#rope = ropeTables(c.contextLength, c.dim / c.heads, c.ropeTheta);
  }

  /**
   * The training forward: ids `[B, T]` (int32, T ≤ contextLength) to logits
   * `[B, T, V]`, through BitLinear's straight-through estimators.
   *
   * @example
   * ```ts
   * model.forward(tensor([[1, 2, 3]], [1, 3], "int32")).shape; // [1, 3, V]
   * ```
   */
  forward(ids: Tensor): Var {
    const c = this.config;
    if (ids.ndim !== 2) throw new BitNetError(`BitNetModel.forward: ids must be [B, T], got [${ids.shape.join(", ")}]`);
    const T = ids.shape[1];
    if (T > c.contextLength) throw new BitNetError(`BitNetModel.forward: T = ${T} exceeds contextLength ${c.contextLength}`);
    const { cos, sin } = ropeTensors(this.#rope, T);
    const inputs: AttentionInputs = { cos, sin, mask: causalMask(T) };
    let x = this.embed_tokens.forward(ids);
    for (const layer of this.layers) x = layer.forward([x, inputs]);
    return this.norm.forward(x).matmul(this.embed_tokens.weight.transpose());
  }

  /**
   * Every BitLinear with its GGUF base name (`blk.N.attn_q`, ...), in file order.
   *
   * @example
   * ```ts
   * model.projections()[0]?.[0]; // "blk.0.attn_q"
   * ```
   */
  projections(): [string, BitLinear][] {
    const out: [string, BitLinear][] = [];
    this.layers.forEach((l, i) => {
      out.push(
        [`blk.${i}.attn_q`, l.self_attn.q_proj],
        [`blk.${i}.attn_k`, l.self_attn.k_proj],
        [`blk.${i}.attn_v`, l.self_attn.v_proj],
        [`blk.${i}.attn_output`, l.self_attn.o_proj],
        [`blk.${i}.ffn_gate`, l.mlp.gate_proj],
        [`blk.${i}.ffn_up`, l.mlp.up_proj],
        [`blk.${i}.ffn_down`, l.mlp.down_proj],
      );
    });
    return out;
  }

  /**
   * Freezes every projection (packs its weights and switches it to the
   * integer kernel): for inference after training. `unfreeze()` on each
   * BitLinear reverts it.
   *
   * @example
   * ```ts
   * model.freeze().projections().every(([, p]) => p.isFrozen); // true
   * ```
   */
  freeze(): this {
    for (const [, p] of this.projections()) p.freeze();
    return this;
  }

  /**
   * A snapshot of the current weights for the inference pass: frozen copies
   * of the projections (the layers themselves are untouched and keep
   * training; frozen layers are shared, not copied) and the other weights.
   *
   * @example
   * ```ts
   * model.inferenceWeights().layers[0]?.q.isFrozen; // true
   * ```
   */
  inferenceWeights(): InferenceWeights {
    return noGrad(() => ({
      config: this.config,
      embedding: this.embed_tokens.weight.value,
      outputNorm: normWeight(this.norm),
      layers: this.layers.map((l) => ({
        attnNorm: normWeight(l.input_layernorm),
        attnSubNorm: normWeight(l.self_attn.attn_sub_norm),
        ffnNorm: normWeight(l.post_attention_layernorm),
        ffnSubNorm: normWeight(l.mlp.ffn_sub_norm),
        q: l.self_attn.q_proj.frozenSnapshot(),
        k: l.self_attn.k_proj.frozenSnapshot(),
        v: l.self_attn.v_proj.frozenSnapshot(),
        o: l.self_attn.o_proj.frozenSnapshot(),
        gate: l.mlp.gate_proj.frozenSnapshot(),
        up: l.mlp.up_proj.frozenSnapshot(),
        down: l.mlp.down_proj.frozenSnapshot(),
      })),
    }));
  }

  /**
   * The inference pass over the current weights (take a new one after
   * training steps); an activation mode or {@link InferenceOptions}.
   *
   * @example
   * ```ts
   * const inf = model.inference({ activations: "q8_K", kvCache: "f16" });
   * ```
   */
  inference(opts: InferenceOptions | ActivationMode = {}): BitNetInference {
    return new BitNetInference(this.inferenceWeights(), opts);
  }

  /**
   * Logits `[N, V]` (row-major) for every position of one sequence, with the
   * inference pass: what llama.cpp returns for the same ids.
   *
   * @example
   * ```ts
   * model.logits([1, 5, 9], "float").length; // 3 * V
   * ```
   */
  logits(ids: readonly number[], opts: InferenceOptions | ActivationMode = "int8"): Float32Array {
    const inf = this.inference(opts);
    return inf.forward(ids, inf.newCache(), true);
  }

  /**
   * Continues `promptIds` by up to `maxTokens` tokens with the KV cache:
   * greedy at temperature 0 (the default), otherwise sampled (top-k,
   * seeded). Stops early at `eosId` (included) or the context length.
   * Returns the new ids only.
   *
   * @example
   * ```ts
   * const ids = model.generate(tok.encode("the cat"), { maxTokens: 16, temperature: 0 });
   * tok.decode(ids); // the continuation
   * ```
   */
  generate(promptIds: readonly number[], opts: GenerateOptions = {}): number[] {
    if (promptIds.length === 0) throw new BitNetError("BitNetModel.generate: the prompt is empty (start it with BOS)");
    const inf = this.inference(opts);
    const cache = inf.newCache();
    const gen = new Generator(opts.seed ?? 0);
    const V = this.config.vocabSize;
    const out: number[] = [];
    const maxTokens = opts.maxTokens ?? 32;
    if (promptIds.length > cache.capacity) throw new BitNetError(`BitNetModel.generate: the prompt has ${promptIds.length} tokens; the context length is ${cache.capacity}`);
    let logits = inf.forward(promptIds, cache);
    while (out.length < maxTokens) {
      const next = sampleToken(logits, 0, V, opts, gen);
      out.push(next);
      if (next === opts.eosId || cache.remaining === 0 || out.length === maxTokens) break;
      logits = inf.forward([next], cache);
    }
    return out;
  }

  /**
   * {@link generate} for backends without synchronous reads (WebGPU: pass
   * `backend`); the same tokens on any backend that computes the same logits.
   *
   * @example
   * ```ts
   * const ids = await model.generateAsync(prompt, { maxTokens: 16, backend: gpu });
   * ```
   */
  async generateAsync(promptIds: readonly number[], opts: GenerateOptions = {}): Promise<number[]> {
    if (promptIds.length === 0) throw new BitNetError("BitNetModel.generateAsync: the prompt is empty (start it with BOS)");
    const inf = this.inference(opts);
    const cache = inf.newCache();
    const gen = new Generator(opts.seed ?? 0);
    const V = this.config.vocabSize;
    const out: number[] = [];
    const maxTokens = opts.maxTokens ?? 32;
    if (promptIds.length > cache.capacity) throw new BitNetError(`BitNetModel.generateAsync: the prompt has ${promptIds.length} tokens; the context length is ${cache.capacity}`);
    let logits = await inf.forwardAsync(promptIds, cache);
    while (out.length < maxTokens) {
      const next = sampleToken(logits, 0, V, opts, gen);
      out.push(next);
      if (next === opts.eosId || cache.remaining === 0 || out.length === maxTokens) break;
      logits = await inf.forwardAsync([next], cache);
    }
    return out;
  }
}

/** The additive causal mask `[T, T]`: 0 on and below the diagonal, −∞ above. */
function causalMask(T: number): Tensor {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -Infinity;
  return tensor(m, [T, T]);
}

function normWeight(n: RMSNorm): Tensor {
  if (n.weight === null) throw new BitNetError("BitNetModel: every RMSNorm needs a weight");
  return n.weight.value;
}

/**
 * One ternary projection as host arrays: codes `[out, in]` in {−1, 0, 1} and
 * scales `[out, G]`, G = ceil(in / groupColumns); weight = code · scale.
 *
 * @example
 * ```ts
 * const p: TernaryProjection = { outFeatures: 2, inFeatures: 4, codes, scales: Float32Array.of(0.5, 0.5), groupColumns: 4 };
 * ```
 */
export interface TernaryProjection {
  readonly outFeatures: number;
  readonly inFeatures: number;
  readonly codes: Int8Array;
  readonly scales: Float32Array;
  readonly groupColumns: number;
}

/**
 * Codes and per-(row, group) scales of a BitLinear, as the exporter reads them.
 *
 * @example
 * ```ts
 * ternaryProjection(model.layers[0].self_attn.q_proj).codes.length; // dim * dim
 * ```
 */
export function ternaryProjection(layer: BitLinear): TernaryProjection {
  const q = layer.quantizedWeight();
  const O = layer.outFeatures;
  const I = layer.inFeatures;
  const gc = Math.min(q.groupColumns, I);
  const G = Math.ceil(I / gc);
  const s = q.scales.contiguous().dataSync();
  const scales = new Float32Array(O * G);
  const perRow = q.scales.shape[0] === O;
  for (let o = 0; o < O; o++) for (let g = 0; g < G; g++) scales[o * G + g] = s[(perRow ? o : 0) * q.scales.shape[1] + (q.scales.shape[1] === 1 ? 0 : g)];
  return { outFeatures: O, inFeatures: I, codes: Int8Array.from(q.codes.contiguous().dataSync()), scales, groupColumns: gc };
}
