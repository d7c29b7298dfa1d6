// Training a small BitNet b1.58 language model end to end: corpus, tokenizer,
// model, AdamW with warmup and cosine decay, a progress bar, samples while it
// learns, a loss curve, the ternary weight distribution and a GGUF export that
// llama.cpp runs. A recipe to read top to bottom; the CLI is in main.ts.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import cliProgress from "cli-progress";
import { BitNetModel, type SpmTokenizer, trainTokenizer } from "@bitnet-quantize/bitnet";
import { type GgufWeightType, exportGguf } from "@bitnet-quantize/bitnet/gguf";
import { noGrad } from "@bitnet-quantize/autograd";
import { crossEntropy } from "@bitnet-quantize/autograd/nn";
import { AdamW, clipGradNorm, warmupCosine } from "@bitnet-quantize/autograd/optim";
import { Generator, tensor, tidy } from "@bitnet-quantize/tensor";
import { generateCorpus } from "./lm/corpus.js";
import { lossCurveSvg } from "./lm/loss-svg.js";

/** Everything the run can be told; {@link DEFAULT_TRAIN_OPTIONS} holds the defaults. */
export interface TrainLmOptions {
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
  /** A UTF-8 text file to train on instead of the generated stories. */
  readonly data: string | undefined;
  readonly outDir: string;
  readonly type: GgufWeightType;
  /** Stop training early when this many minutes have passed (the export still runs). */
  readonly maxMinutes: number;
  /** Print a sample every this many steps (0: only at the end). */
  readonly sampleEvery: number;
  readonly prompt: string;
  /** Draw a progress bar (default: when stdout is a terminal). */
  readonly progress: boolean;
  /** Paths in messages are shown relative to this directory (default: the current one). */
  readonly cwd: string;
}

/**
 * The defaults: about 5-7 minutes on two CPU cores.
 *
 * @example
 * ```ts
 * DEFAULT_TRAIN_OPTIONS.dim; // 256 (TQ2_0 needs rows that are multiples of 256)
 * ```
 */
export const DEFAULT_TRAIN_OPTIONS: TrainLmOptions = {
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
  data: undefined,
  outDir: "out",
  type: "TQ2_0",
  maxMinutes: 7,
  sampleEvery: 40,
  prompt: "one day tom saw",
  progress: process.stdout.isTTY === true,
  cwd: process.cwd(),
};

/** What {@link trainLm} returns. */
export interface TrainLmResult {
  readonly model: BitNetModel;
  readonly tokenizer: SpmTokenizer;
  readonly losses: number[];
  readonly ggufPath: string;
  readonly svgPath: string;
  readonly seconds: number;
  /** Fractions of -1, 0 and +1 over every ternary projection. */
  readonly distribution: { readonly minus: number; readonly zero: number; readonly plus: number };
}

/**
 * Trains, reports and exports. `log` receives every line meant for the user.
 *
 * @example
 * ```ts
 * const r = await trainLm({ ...DEFAULT_TRAIN_OPTIONS, steps: 10 }, console.log);
 * r.losses.at(-1) < r.losses[0]; // true (usually, even after 10 steps)
 * ```
 */
export async function trainLm(o: TrainLmOptions, log: (line: string) => void): Promise<TrainLmResult> {
  const started = performance.now();
  const show = (p: string): string => relative(o.cwd, p) || p;
  mkdirSync(o.outDir, { recursive: true });

  // 1. Data and tokenizer.
  const text = o.data === undefined ? generateCorpus({ seed: o.seed }) : readFileSync(o.data, "utf8");
  const tokenizer = trainTokenizer(text, o.vocab);
  const ids = Int32Array.from(tokenizer.encode(text.replaceAll("\n", " "), { addSpecial: false }));
  log(`corpus: ${o.data ?? "generated tiny stories"}, ${text.length.toLocaleString()} characters -> ${ids.length.toLocaleString()} tokens (vocabulary ${tokenizer.vocabSize})`);
  if (ids.length < o.context + 2) throw new Error(`the corpus has ${ids.length} tokens; need more than context + 1 = ${o.context + 1}`);

  // 2. Model and optimizer.
  const model = new BitNetModel(
    { vocabSize: tokenizer.vocabSize, dim: o.dim, layers: o.layers, heads: o.heads, kvHeads: o.kvHeads, ffnDim: o.ffnDim, contextLength: o.context },
    { seed: o.seed },
  );
  const nParams = model.parameters().reduce((n, p) => n + p.size, 0);
  log(`model: dim ${o.dim}, ${o.layers} layers, ${o.heads} heads (${o.kvHeads} kv), ffn ${o.ffnDim}, context ${o.context}: ${(nParams / 1e6).toFixed(2)}M parameters, every projection a BitLinear`);
  const opt = new AdamW(model.parameters(), { lr: o.lr, weightDecay: 0.01 });
  const schedule = warmupCosine({ baseLr: o.lr, warmupSteps: Math.max(1, Math.floor(o.steps / 10)), totalSteps: o.steps, minLr: o.lr / 10 });
  const gen = new Generator(o.seed + 1);
  const T = o.context;
  const batch = (): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } => {
    const x = new Int32Array(o.batch * T);
    const y = new Int32Array(o.batch * T);
    for (let b = 0; b < o.batch; b++) {
      const start = gen.nextInt(0, ids.length - T - 1);
      x.set(ids.subarray(start, start + T), b * T);
      y.set(ids.subarray(start + 1, start + T + 1), b * T);
    }
    return { x: tensor(x, [o.batch, T], "int32"), y: tensor(y, [o.batch * T], "int32") };
  };
  const sample = (): string => {
    const prompt = tokenizer.encode(o.prompt);
    const out = model.generate(prompt, { maxTokens: Math.min(40, o.context - prompt.length), temperature: 0, eosId: tokenizer.eosId });
    // Without BOS the detokenizer drops the prefix space, so the text starts with the prompt itself.
    return tokenizer.decode([...prompt.slice(1), ...out]);
  };

  // 3. Training loop.
  const multi = new cliProgress.MultiBar(
    { format: "train |{bar}| {value}/{total} steps | loss {loss} | {tps} tok/s | ETA {eta_formatted}", hideCursor: true, noTTYOutput: false, stopOnComplete: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  const bar = o.progress ? multi.create(o.steps, 0, { loss: "-", tps: "-" }) : undefined;
  const say = (line: string): void => (bar === undefined ? log(line) : multi.log(`${line}\n`));
  const losses: number[] = [];
  const trainStart = performance.now();
  let stoppedEarly = false;
  for (let step = 0; step < o.steps; step++) {
    opt.lr = schedule(step);
    // one scope per step: the step's intermediates are freed when it ends
    const l = tidy(() => {
      const { x, y } = batch();
      const logits = model.forward(x);
      const loss = crossEntropy(logits.reshape([o.batch * T, tokenizer.vocabSize]), y);
      model.zeroGrad();
      loss.backward();
      clipGradNorm(model.parameters(), 1.0);
      opt.step();
      return loss.item();
    });
    losses.push(l);
    const secs = (performance.now() - trainStart) / 1000;
    const tps = Math.round(((step + 1) * o.batch * T) / secs);
    bar?.update(step + 1, { loss: l.toFixed(3), tps: String(tps) });
    if (bar === undefined && ((step + 1) % 10 === 0 || step === 0)) say(`step ${step + 1}/${o.steps}  loss ${l.toFixed(3)}  ${tps} tok/s`);
    if (o.sampleEvery > 0 && (step + 1) % o.sampleEvery === 0 && step + 1 < o.steps) say(`  sample @${step + 1}: ${JSON.stringify(sample())}`);
    if (secs > o.maxMinutes * 60 && step + 1 < o.steps) {
      stoppedEarly = true;
      say(`stopping after ${step + 1} steps: the --max-minutes budget of ${o.maxMinutes} min is spent`);
      break;
    }
  }
  multi.stop();
  const first = mean(losses.slice(0, 10));
  const last = mean(losses.slice(-10));
  log(`loss: ${first.toFixed(3)} (first 10 steps) -> ${last.toFixed(3)} (last 10 steps)${stoppedEarly ? " (stopped early)" : ""}`);
  log(`final sample (greedy): ${JSON.stringify(sample())}`);

  // 4. Loss curve and ternary weight distribution.
  const svgPath = join(o.outDir, "loss.svg");
  writeFileSync(svgPath, lossCurveSvg(losses, { title: `BitNet b1.58 LM: loss per step (${losses.length} steps, ${o.batch}x${T} tokens each)` }));
  log(`loss curve: ${show(svgPath)}`);
  const counts = [0, 0, 0];
  noGrad(() => {
    for (const [, layer] of model.projections()) for (const c of layer.quantizedWeight().codes.dataSync()) counts[(c as number) + 1] = (counts[(c as number) + 1] as number) + 1;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const distribution = { minus: (counts[0] as number) / total, zero: (counts[1] as number) / total, plus: (counts[2] as number) / total };
  const pct = (f: number): string => `${(100 * f).toFixed(1)}%`;
  log(`ternary weights (${total.toLocaleString()} in ${model.projections().length} projections): -1 ${pct(distribution.minus)}, 0 ${pct(distribution.zero)}, +1 ${pct(distribution.plus)}`);

  // 5. Export for llama.cpp.
  const ggufPath = join(o.outDir, "model.gguf");
  const bytes = await exportGguf(model, tokenizer, { type: o.type, path: ggufPath, name: "bitnet-quantize tiny stories", warn: (m) => log(`warning: ${m}`) });
  log(`exported ${show(ggufPath)} (${o.type}, ${(bytes.length / 1024).toFixed(0)} KiB)`);
  log("run it with llama.cpp (b4747 or newer):");
  log(`  llama-cli -m ${show(ggufPath)} -p ${JSON.stringify(o.prompt)} -n 32 --temp 0 -no-cnv`);
  const seconds = (performance.now() - started) / 1000;
  log(`done in ${seconds.toFixed(0)} s`);
  return { model, tokenizer, losses, ggufPath, svgPath, seconds, distribution };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}
