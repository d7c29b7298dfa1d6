// One training run of a small BitNet b1.58 language model on any Backend
// (CPU or WebGPU): tokenizer, model, AdamW, batches, validation loss, the
// ternary distribution of each projection, samples and the GGUF bytes. The
// worker drives it; the tests drive it directly on the CPU.
//
// The training forward is BitNetModel's own (embedding, decoder layers,
// norm, tied head) with the RoPE tables and causal mask moved to the model's
// backend, so every tensor of a step lives on one device. Sampling and the
// export read a CPU copy of the weights (`mirror`), refreshed by `sync()`.
import { type Var, noGrad } from "@bitnet-quantize/autograd";
import { crossEntropy } from "@bitnet-quantize/autograd/nn";
import { AdamW } from "@bitnet-quantize/autograd/optim";
import { type AttentionInputs, BitNetModel, type SpmTokenizer, ropeTables, ropeTensors, trainTokenizer } from "@bitnet-quantize/bitnet";
import { type GgufWeightType, encodeGguf } from "@bitnet-quantize/bitnet/gguf";
import { type Backend, Generator, type Tensor, defaultCpuBackend, tensor } from "@bitnet-quantize/tensor";
import { PlaygroundError } from "./errors.js";
import { type ModelSize, TEXT_LIMITS } from "./sizes.js";

/** What {@link TrainSession.create} needs. */
export interface SessionOptions {
  readonly text: string;
  readonly size: ModelSize;
  /** Seed of the weights and batches (default 0). */
  readonly seed?: number;
  /** Peak learning rate of AdamW (default 5e-3, after a 10-step warmup). */
  readonly lr?: number;
}

/** The -1/0/+1 counts of one projection and the fraction of codes that changed since the previous call. */
export interface ProjectionStats {
  readonly name: string;
  readonly minus: number;
  readonly zero: number;
  readonly plus: number;
  /** Fraction of codes that differ from the previous snapshot (0 the first time). */
  readonly flipped: number;
}

/** The GGUF bytes of the trained model and what the exporter warned about. */
export interface ExportedModel {
  readonly bytes: Uint8Array;
  readonly warnings: string[];
}

/**
 * A training run: create it, call `step()` as often as wanted, `sync()` then
 * read `distribution()`, `sample()`, `encode()`.
 *
 * @example
 * ```ts
 * const s = await TrainSession.create({ text: defaultCorpus(4000), size: SIZES.tiny }, defaultCpuBackend());
 * const first = await s.step(); // cross-entropy of the first batch, about ln(vocab)
 * ```
 */
export class TrainSession {
  readonly tokenizer: SpmTokenizer;
  /** The model being trained, its parameters on `backend`. */
  readonly model: BitNetModel;
  /** A CPU copy of the weights as of the last `sync()` (the model itself on the CPU backend). */
  readonly mirror: BitNetModel;
  readonly backend: Backend;
  readonly size: ModelSize;
  /** Training and validation token ids. */
  readonly trainIds: Int32Array;
  readonly valIds: Int32Array;
  /** Steps taken so far. */
  steps = 0;
  readonly #opt: AdamW;
  readonly #lr: number;
  readonly #gen: Generator;
  readonly #inputs: Map<number, AttentionInputs>;
  readonly #previous = new Map<string, Int8Array>();
  readonly #valBatch: { x: Tensor; y: Tensor; T: number };

  private constructor(
    parts: { tokenizer: SpmTokenizer; model: BitNetModel; mirror: BitNetModel; trainIds: Int32Array; valIds: Int32Array; inputs: Map<number, AttentionInputs>; valBatch: { x: Tensor; y: Tensor; T: number } },
    backend: Backend,
    o: SessionOptions,
  ) {
    this.tokenizer = parts.tokenizer;
    this.model = parts.model;
    this.mirror = parts.mirror;
    this.trainIds = parts.trainIds;
    this.valIds = parts.valIds;
    this.#inputs = parts.inputs;
    this.#valBatch = parts.valBatch;
    this.backend = backend;
    this.size = o.size;
    this.#lr = o.lr ?? 5e-3;
    this.#opt = new AdamW(this.model.parameters(), { lr: this.#lr, weightDecay: 0.01 });
    this.#gen = new Generator((o.seed ?? 0) + 1);
  }

  /**
   * Trains a tokenizer on `text`, builds the model and moves it to `backend`.
   * Throws {@link PlaygroundError} when the text is outside {@link TEXT_LIMITS}
   * or too short for one context window of training and validation tokens.
   *
   * @example
   * ```ts
   * const s = await TrainSession.create({ text: defaultCorpus(4000), size: SIZES.tiny }, defaultCpuBackend());
   * s.tokenizer.vocabSize; // 300
   * ```
   */
  static async create(o: SessionOptions, backend: Backend): Promise<TrainSession> {
    const text = o.text;
    if (text.length < TEXT_LIMITS.min) throw new PlaygroundError(`the text has ${text.length} characters; paste at least ${TEXT_LIMITS.min}`);
    if (text.length > TEXT_LIMITS.max) throw new PlaygroundError(`the text has ${text.length.toLocaleString()} characters; the playground takes at most ${TEXT_LIMITS.max.toLocaleString()}`);
    const s = o.size;
    const tokenizer = trainTokenizer(text, s.vocab);
    const ids = Int32Array.from(tokenizer.encode(text.replaceAll("\n", " "), { addSpecial: false }));
    const cut = Math.floor(ids.length * 0.9);
    const trainIds = ids.subarray(0, cut);
    const valIds = ids.subarray(cut);
    if (trainIds.length < s.context + 2 || valIds.length < 9) {
      throw new PlaygroundError(`the text gives ${ids.length} tokens; the ${s.label} model needs at least ${Math.ceil((s.context + 2) / 0.9)}: paste more text`);
    }
    const config = { vocabSize: tokenizer.vocabSize, dim: s.dim, layers: s.layers, heads: s.heads, kvHeads: s.kvHeads, ffnDim: s.ffnDim, contextLength: s.context };
    const seed = o.seed ?? 0;
    const mirror = new BitNetModel(config, { seed });
    let model = mirror;
    if (backend !== defaultCpuBackend()) {
      model = new BitNetModel(config, { seed });
      for (const p of model.parameters()) p.value = await p.value.toAsync(backend);
    }
    const inputs = new Map<number, AttentionInputs>();
    const tables = ropeTables(s.context, s.dim / s.heads, model.config.ropeTheta);
    const inputsFor = async (T: number): Promise<void> => {
      if (inputs.has(T)) return;
      const { cos, sin } = ropeTensors(tables, T);
      const mask = new Float32Array(T * T);
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -Infinity;
      inputs.set(T, { cos: await cos.toAsync(backend), sin: await sin.toAsync(backend), mask: await tensor(mask, [T, T]).toAsync(backend) });
    };
    // The validation batch: up to 4 windows spread evenly over the held-out tokens.
    const vT = Math.min(s.context, valIds.length - 1);
    const starts = Array.from({ length: 4 }, (_, i) => Math.floor((i * (valIds.length - vT - 1)) / 3));
    const vx = new Int32Array(4 * vT);
    const vy = new Int32Array(4 * vT);
    starts.forEach((st, b) => {
      vx.set(valIds.subarray(st, st + vT), b * vT);
      vy.set(valIds.subarray(st + 1, st + vT + 1), b * vT);
    });
    await inputsFor(s.context);
    await inputsFor(vT);
    const valBatch = { x: await tensor(vx, [4, vT], "int32").toAsync(backend), y: await tensor(vy, [4 * vT], "int32").toAsync(backend), T: vT };
    return new TrainSession({ tokenizer, model, mirror, trainIds, valIds, inputs, valBatch }, backend, o);
  }

  /** Whether training runs on another backend than the CPU. */
  get onDevice(): boolean {
    return this.model !== this.mirror;
  }

  /** Parameters of the model. */
  get parameterCount(): number {
    return this.model.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Tokens one step trains on. */
  get tokensPerStep(): number {
    return this.size.batch * this.size.context;
  }

  /** Logits `[B·T, V]` of ids `[B, T]` on the model's backend: BitNetModel.forward with device-resident RoPE and mask. */
  #logits(x: Tensor, T: number): Var {
    const inputs = this.#inputs.get(T) as AttentionInputs;
    const m = this.model;
    let h = m.embed_tokens.forward(x);
    for (const layer of m.layers) h = layer.forward([h, inputs]);
    const B = x.shape[0];
    return m.norm.forward(h).matmul(m.embed_tokens.weight.transpose()).reshape([B * T, m.config.vocabSize]);
  }

  /**
   * One AdamW step on a random batch; resolves to its loss.
   *
   * @example
   * ```ts
   * await session.step(); // 5.7 (for example)
   * ```
   */
  async step(): Promise<number> {
    const { batch: B, context: T } = this.size;
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const st = this.#gen.nextInt(0, this.trainIds.length - T - 1);
      x.set(this.trainIds.subarray(st, st + T), b * T);
      y.set(this.trainIds.subarray(st + 1, st + T + 1), b * T);
    }
    const xs = await tensor(x, [B, T], "int32").toAsync(this.backend);
    const ys = await tensor(y, [B * T], "int32").toAsync(this.backend);
    this.#opt.lr = this.#lr * Math.min(1, (this.steps + 1) / 10);
    const loss = crossEntropy(this.#logits(xs, T), ys);
    this.model.zeroGrad();
    loss.backward();
    await clipGradients(this.model, 1.0);
    this.#opt.step();
    this.steps++;
    return (await loss.value.data())[0];
  }

  /**
   * The loss on the held-out last 10% of the text (4 windows, no gradient).
   *
   * @example
   * ```ts
   * await session.validationLoss(); // 5.6 (for example)
   * ```
   */
  async validationLoss(): Promise<number> {
    const v = this.#valBatch;
    const loss = noGrad(() => crossEntropy(this.#logits(v.x, v.T), v.y));
    return (await loss.value.data())[0];
  }

  /**
   * Copies the trained weights into `mirror` (nothing to do on the CPU).
   *
   * @example
   * ```ts
   * await session.sync();
   * ```
   */
  async sync(): Promise<void> {
    if (!this.onDevice) return;
    const src = this.model.parameters();
    const dst = this.mirror.parameters();
    const cpu = defaultCpuBackend();
    for (let i = 0; i < src.length; i++) dst[i].value = await src[i].value.toAsync(cpu);
  }

  /**
   * The ternary codes of every projection of `mirror`: counts of -1, 0, +1
   * and the fraction changed since the previous call.
   *
   * @example
   * ```ts
   * session.distribution()[0]?.name; // "blk.0.attn_q"
   * ```
   */
  distribution(): ProjectionStats[] {
    return noGrad(() =>
      this.mirror.projections().map(([name, layer]) => {
        const codes = Int8Array.from(layer.quantizedWeight().codes.contiguous().dataSync());
        let minus = 0;
        let zero = 0;
        let plus = 0;
        for (const c of codes) {
          if (c < 0) minus++;
          else if (c > 0) plus++;
          else zero++;
        }
        const prev = this.#previous.get(name);
        let changed = 0;
        if (prev !== undefined) for (let i = 0; i < codes.length; i++) if (codes[i] !== prev[i]) changed++;
        this.#previous.set(name, codes);
        return { name, minus, zero, plus, flipped: changed / codes.length };
      }),
    );
  }

  /**
   * A continuation of `prompt` by `mirror` (sampled at temperature 0.7, top-k 20).
   *
   * @example
   * ```ts
   * session.sample("one day", 24, 1); // "one day tom saw a cat ..."
   * ```
   */
  sample(prompt: string, maxTokens: number, seed: number): string {
    return generateText(this.mirror, this.tokenizer, prompt, { maxTokens, seed, temperature: 0.7 });
  }

  /**
   * The GGUF bytes of `mirror` and its tokenizer: exactly what
   * `encodeGguf` (and so `exportGguf`) writes for these options.
   *
   * @example
   * ```ts
   * session.encode("F16").bytes.length > 0; // true
   * ```
   */
  encode(type: GgufWeightType): ExportedModel {
    const warnings: string[] = [];
    const bytes = encodeGguf(this.mirror, this.tokenizer, { type, name: "bitnet-quantize playground", warn: (m) => warnings.push(m) });
    return { bytes, warnings };
  }
}

/**
 * Scales the gradients so their global L2 norm is at most `maxNorm`: what
 * autograd's `clipGradNorm` does, but reading the norm with `await data()`
 * so it also works where reads are asynchronous (WebGPU).
 *
 * @example
 * ```ts
 * const norm = await clipGradients(model, 1.0); // the norm before clipping
 * ```
 */
export async function clipGradients(model: BitNetModel, maxNorm: number): Promise<number> {
  const params = model.parameters().filter((p) => p.grad !== null);
  let sq: Tensor | undefined;
  for (const p of params) {
    const g = p.grad as Tensor;
    const s = g.mul(g).sum();
    sq = sq === undefined ? s : sq.add(s);
  }
  if (sq === undefined) return 0;
  const norm = Math.sqrt((await sq.data())[0]);
  if (norm > maxNorm) for (const p of params) p.grad = (p.grad as Tensor).mul(maxNorm / (norm + 1e-6));
  return norm;
}

/** Options of {@link generateText}. */
export interface GenerateTextOptions {
  readonly maxTokens: number;
  readonly seed: number;
  /** 0 is greedy. */
  readonly temperature: number;
}

/**
 * `prompt` continued by `model`, as text (the prompt included), within the model's context.
 *
 * @example
 * ```ts
 * generateText(model, tokenizer, "one day", { maxTokens: 16, seed: 0, temperature: 0 }); // "one day tom ..."
 * ```
 */
export function generateText(model: BitNetModel, tokenizer: SpmTokenizer, prompt: string, o: GenerateTextOptions): string {
  const limit = Math.max(2, model.config.contextLength - 8);
  const all = tokenizer.encode(prompt);
  // Keep the first id (BOS) and the end of a prompt longer than the context allows.
  const ids = all.length <= limit ? all : [all[0], ...all.slice(-(limit - 1))];
  const room = Math.max(0, Math.min(o.maxTokens, model.config.contextLength - ids.length));
  const out = model.generate(ids, { maxTokens: room, temperature: o.temperature, topK: 20, seed: o.seed, eosId: tokenizer.eosId });
  // Without BOS the detokenizer drops the prefix space, so the text starts with the prompt itself.
  return tokenizer.decode([...ids.slice(1), ...out]);
}
