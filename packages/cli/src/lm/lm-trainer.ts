// A small BitNet b1.58 language model trained step by step: tokenizer, a
// 90/10 train/validation split, the model, AdamW with warmup and cosine
// decay, one `trainStep()` per call and `estimateLoss()` under noGrad (as
// nanoGPT). Browser-safe: no Node built-ins; the terminal, files and signals
// are the CLI's (cli/train-command.ts). Shapes: B batch, T context, V vocabulary.
import { BitNetModel, type SpmTokenizer, trainTokenizer } from "@bitnet-quantize/bitnet";
import { noGrad } from "@bitnet-quantize/autograd";
import { crossEntropy } from "@bitnet-quantize/autograd/nn";
import { AdamW, type Schedule, clipGradNorm, warmupCosine } from "@bitnet-quantize/autograd/optim";
import { Generator, type Tensor, tensor, tidy } from "@bitnet-quantize/tensor";

/**
 * The run's recipe: everything that decides the numbers (a checkpoint stores it).
 *
 * @example
 * ```ts
 * const config: LmTrainConfig = { ...DEFAULT_LM_CONFIG, steps: 400, dim: 512, ffnDim: 1024 };
 * ```
 */
export interface LmTrainConfig {
  readonly steps: number;
  readonly dim: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ffnDim: number;
  readonly context: number;
  readonly batch: number;
  readonly lr: number;
  readonly vocab: number;
  readonly seed: number;
  /** Fraction of the token stream held out for validation, taken from its end (default 0.1). */
  readonly valFraction: number;
  /** Batches averaged by {@link LmTrainer.estimateLoss}. */
  readonly evalIters: number;
}

/**
 * The defaults of `bitnet train`: about 5-7 minutes on two CPU cores.
 *
 * @example
 * ```ts
 * DEFAULT_LM_CONFIG.dim; // 256 (TQ2_0 needs rows that are multiples of 256)
 * ```
 */
export const DEFAULT_LM_CONFIG: LmTrainConfig = {
  steps: 160,
  dim: 256,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  ffnDim: 512,
  context: 64,
  batch: 4,
  lr: 3e-3,
  vocab: 384,
  seed: 0,
  valFraction: 0.1,
  evalIters: 4,
};

/**
 * A validation measurement: the mean loss over `evalIters` held-out batches after `step` steps.
 *
 * @example
 * ```ts
 * trainer.valLosses.at(-1); // e.g. { step: 160, loss: 1.42 } after the default 160 steps
 * ```
 */
export interface ValPoint {
  readonly step: number;
  readonly loss: number;
}

/**
 * Thrown when the text or the recipe cannot make a run (too little text, a bad size).
 *
 * @example
 * ```ts
 * new LmTrainer("too short", DEFAULT_LM_CONFIG); // throws LmTrainError: the text gives 10 tokens (9 to train on and 1 held out; each part needs context + 2)
 * ```
 */
export class LmTrainError extends Error {
  override readonly name = "LmTrainError";
}

/**
 * One training run, advanced a step at a time so the caller can draw
 * progress, print samples or stop between steps.
 *
 * @example
 * ```ts
 * const t = new LmTrainer(generateCorpus({ stories: 200 }), { ...DEFAULT_LM_CONFIG, steps: 20, dim: 64, ffnDim: 128 }); // a small model
 * while (!t.done) t.trainStep();
 * t.estimateLoss("val"); // e.g. 3.1 (nats/token)
 * t.sample("one day tom"); // e.g. "one day tom saw a the dog ..." (20 steps: barely trained)
 * ```
 */
export class LmTrainer {
  readonly config: LmTrainConfig;
  readonly tokenizer: SpmTokenizer;
  readonly model: BitNetModel;
  readonly optimizer: AdamW;
  readonly schedule: Schedule;
  /** Token ids of the training split and of the held-out split. */
  readonly trainIds: Int32Array;
  readonly valIds: Int32Array;
  /** Steps taken so far (the next step's index). */
  stepsDone = 0;
  /** The training loss of every step taken. */
  readonly losses: number[] = [];
  /** Every validation measurement. */
  readonly valLosses: ValPoint[] = [];

  constructor(text: string, config: LmTrainConfig) {
    this.config = config;
    const c = config;
    if (!(c.valFraction > 0 && c.valFraction < 1)) throw new LmTrainError(`valFraction must be in (0, 1), got ${c.valFraction}`);
    this.tokenizer = trainTokenizer(text, c.vocab);
    const ids = Int32Array.from(this.tokenizer.encode(text.replaceAll("\n", " "), { addSpecial: false }));
    const nVal = Math.floor(ids.length * c.valFraction);
    this.trainIds = ids.subarray(0, ids.length - nVal);
    this.valIds = ids.subarray(ids.length - nVal);
    const need = c.context + 2;
    if (this.trainIds.length < need || this.valIds.length < need) {
      throw new LmTrainError(
        `the text gives ${ids.length} tokens: ${this.trainIds.length} to train on and ${this.valIds.length} held out; each part needs at least context + 2 = ${need} (use a longer text or a smaller --context)`,
      );
    }
    this.model = new BitNetModel(
      { vocabSize: this.tokenizer.vocabSize, dim: c.dim, layers: c.layers, heads: c.heads, kvHeads: c.kvHeads, ffnDim: c.ffnDim, contextLength: c.context },
      { seed: c.seed },
    );
    this.optimizer = new AdamW(this.model.parameters(), { lr: c.lr, weightDecay: 0.01 });
    this.schedule = warmupCosine({ baseLr: c.lr, warmupSteps: Math.max(1, Math.floor(c.steps / 10)), totalSteps: c.steps, minLr: c.lr / 10 });
  }

  /** True when every configured step has been taken. */
  get done(): boolean {
    return this.stepsDone >= this.config.steps;
  }

  /** Tokens per training step (B·T). */
  get tokensPerStep(): number {
    return this.config.batch * this.config.context;
  }

  /** Parameters of the model. */
  get parameterCount(): number {
    return this.model.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * One AdamW step on a batch drawn for this step index; returns its loss.
   * The batch depends only on (seed, step), so a resumed run draws the same batches.
   *
   * @example
   * ```ts
   * const loss = trainer.trainStep(); // e.g. 5.9 at the first step
   * ```
   */
  trainStep(): number {
    const c = this.config;
    const step = this.stepsDone;
    this.optimizer.lr = this.schedule(step);
    // one scope per step: the step's intermediates (activations, gradients, the
    // optimizer's temporaries) are freed when it ends, not when GC runs
    const l = tidy(() => {
      const { x, y } = this.batch(this.trainIds, new Generator(batchSeed(c.seed, step)));
      const logits = this.model.forward(x);
      const loss = crossEntropy(logits.reshape([c.batch * c.context, this.tokenizer.vocabSize]), y);
      this.model.zeroGrad();
      loss.backward();
      clipGradNorm(this.model.parameters(), 1.0);
      this.optimizer.step();
      return loss.item();
    });
    this.losses.push(l);
    this.stepsDone = step + 1;
    return l;
  }

  /**
   * The mean loss over `evalIters` batches of one split, under noGrad. The
   * batches are the same at every call (a fixed seed), so the numbers compare.
   * Measuring "val" records a {@link ValPoint}.
   *
   * @example
   * ```ts
   * trainer.estimateLoss("val"); // e.g. 2.4
   * ```
   */
  estimateLoss(split: "train" | "val" = "val"): number {
    const c = this.config;
    const gen = new Generator(batchSeed(c.seed ^ 0x5eed, split === "val" ? 1 : 2));
    const ids = split === "val" ? this.valIds : this.trainIds;
    let sum = 0;
    const wasTraining = this.model.training;
    this.model.eval();
    noGrad(() => {
      for (let i = 0; i < c.evalIters; i++) {
        sum += tidy(() => {
          const { x, y } = this.batch(ids, gen);
          return crossEntropy(this.model.forward(x).reshape([c.batch * c.context, this.tokenizer.vocabSize]), y).item();
        });
      }
    });
    this.model.train(wasTraining);
    const loss = sum / c.evalIters;
    if (split === "val") this.valLosses.push({ step: this.stepsDone, loss });
    return loss;
  }

  /**
   * Greedy continuation of `prompt`, prompt included, up to the context length.
   *
   * @example
   * ```ts
   * trainer.sample("one day tom saw", 40); // e.g. "one day tom saw a big dog in the park. ..." once trained
   * ```
   */
  sample(prompt: string, maxTokens = 40): string {
    const ids = this.tokenizer.encode(prompt);
    const room = this.config.context - ids.length;
    if (room <= 0) return prompt;
    const out = this.model.generate(ids, { maxTokens: Math.min(maxTokens, room), temperature: 0, eosId: this.tokenizer.eosId });
    // Without BOS the detokenizer drops the prefix space, so the text starts with the prompt itself.
    return this.tokenizer.decode([...ids.slice(1), ...out]);
  }

  /** Fractions of -1, 0 and +1 over every ternary projection, and their count. */
  ternaryDistribution(): { readonly minus: number; readonly zero: number; readonly plus: number; readonly total: number } {
    const counts = [0, 0, 0];
    noGrad(() => {
      for (const [, layer] of this.model.projections()) {
        for (const c of layer.quantizedWeight().codes.dataSync()) counts[(c) + 1] = (counts[(c) + 1]) + 1;
      }
    });
    const total = counts.reduce((a, b) => a + b, 0);
    return { minus: counts[0] / total, zero: counts[1] / total, plus: counts[2] / total, total };
  }

  /** B sequences of T tokens and their next-token targets, starting at random offsets. */
  private batch(ids: Int32Array, gen: Generator): { x: Tensor; y: Tensor } {
    const { batch: B, context: T } = this.config;
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const start = gen.nextInt(0, ids.length - T - 1);
      x.set(ids.subarray(start, start + T), b * T);
      y.set(ids.subarray(start + 1, start + T + 1), b * T);
    }
    return { x: tensor(x, [B, T], "int32"), y: tensor(y, [B * T], "int32") };
  }
}

/** A 32-bit seed for the batch of one step: splitmix-style mixing of (seed, step). */
function batchSeed(seed: number, step: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
