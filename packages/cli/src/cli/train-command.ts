// `bitnet train` (and `npm start`): trains the small BitNet language model of
// lm/lm-trainer.ts with live progress, samples, validation, Ctrl-C handling,
// checkpoints, the charts and the GGUF export. Node only (files, signals).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import type { GgufWeightType } from "@bitnet-quantize/bitnet/gguf";
import { exportGguf, writeFileAtomic } from "@bitnet-quantize/bitnet/node";
import { type JsonValue, loadCheckpoint, readCheckpointConfig, saveCheckpoint } from "@bitnet-quantize/autograd/checkpoint";
import { generateCorpus } from "../lm/corpus.js";
import { DEFAULT_LM_CONFIG, type LmTrainConfig, LmTrainError, LmTrainer, type ValPoint } from "../lm/lm-trainer.js";
import { lossCurveSvg } from "../lm/loss-svg.js";
import { ternaryHistogramSvg } from "../lm/ternary-svg.js";
import type { CommandContext } from "./command-context.js";
import { ProgressDisplay } from "./progress.js";
import { type OptionSpec, UsageError, choiceOption, floatOption, intOption, parseCommand } from "./usage-error.js";

const d = DEFAULT_LM_CONFIG;
const DEFAULT_PROMPT = "one day tom saw";
const TYPES: readonly GgufWeightType[] = ["TQ2_0", "TQ1_0", "F16", "F32"];
/** Options fixed by a checkpoint: giving one with --resume is a usage error. */
const RECIPE_OPTIONS = ["steps", "dim", "layers", "heads", "kv-heads", "ffn", "context", "batch", "lr", "vocab", "seed", "data", "eval-iters", "stories"] as const;

const OPTIONS = {
  steps: { type: "string" },
  dim: { type: "string" },
  layers: { type: "string" },
  heads: { type: "string" },
  "kv-heads": { type: "string" },
  ffn: { type: "string" },
  context: { type: "string" },
  batch: { type: "string" },
  lr: { type: "string" },
  vocab: { type: "string" },
  data: { type: "string" },
  stories: { type: "string" },
  out: { type: "string" },
  type: { type: "string" },
  seed: { type: "string" },
  "max-minutes": { type: "string" },
  "sample-every": { type: "string" },
  "eval-every": { type: "string" },
  "eval-iters": { type: "string" },
  prompt: { type: "string" },
  resume: { type: "boolean" },
  "no-progress": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies OptionSpec;

function help(program: string): string {
  const usage = program === "bitnet" ? "bitnet train [options]" : `${program} [options]`;
  return `Train a BitNet b1.58 language model in TypeScript and export it for llama.cpp.

usage: ${usage}

  --steps N         training steps (default ${d.steps}; each is --batch x --context tokens)
  --dim N           model width; TQ2_0/TQ1_0 export needs a multiple of 256 (default ${d.dim})
  --layers N        decoder layers (default ${d.layers})
  --heads N         attention heads, dividing --dim into even head sizes (default ${d.heads})
  --kv-heads N      key/value heads, divides --heads (default ${d.kvHeads})
  --ffn N           feed-forward width; a multiple of 256 for TQ export (default ${d.ffnDim})
  --context N       sequence length and the model's context (default ${d.context})
  --batch N         sequences per step (default ${d.batch})
  --lr X            peak learning rate of AdamW, warmup then cosine (default ${d.lr})
  --vocab N         tokenizer size: 259 specials and bytes, characters, merges (default ${d.vocab})
  --data FILE       train on this UTF-8 text file instead of generated tiny stories
  --stories N       how many tiny stories to generate without --data (default 1500)
  --out DIR         where loss.svg, ternary.svg, checkpoint.safetensors and model.gguf go (default out)
  --type T          GGUF projection type: TQ2_0, TQ1_0, F16 or F32 (default TQ2_0)
  --seed N          seed for weights and batches (default ${d.seed})
  --max-minutes X   stop training after X minutes; the export still runs (default 7)
  --sample-every N  print a greedy sample every N steps, 0 for none (default 40)
  --eval-every N    validation loss on the held-out 10% every N steps, 0 for none (default: as --sample-every)
  --eval-iters N    batches averaged per validation loss (default ${d.evalIters})
  --prompt TEXT     the sample prompt (default: "${DEFAULT_PROMPT}", or the first words of --data)
  --resume          continue the run saved in DIR/checkpoint.safetensors (the recipe comes from it)
  --no-progress     plain log lines instead of a progress bar (the default when not in a terminal)
  -h, --help        this text

Ctrl-C stops after the current step and writes the checkpoint and the GGUF; press it again to quit at once.`;
}

/** Everything in a checkpoint's config besides the model and optimizer tensors. */
interface RunRecord {
  readonly kind: "bitnet-train";
  readonly recipe: LmTrainConfig;
  readonly stepsDone: number;
  readonly losses: readonly number[];
  readonly valLosses: readonly ValPoint[];
  /** Absolute path of the text, or null for generated stories. */
  readonly data: string | null;
  readonly stories: number;
  /** FNV-1a of the text, so a resume notices a changed file. */
  readonly textHash: string;
  readonly name: string;
  /** Settings a resume keeps unless given again: export type, sample and eval cadence, prompt. */
  readonly type: GgufWeightType;
  readonly sampleEvery: number;
  readonly evalEvery: number;
  readonly prompt: string;
}

/**
 * Runs `train` with the given arguments; returns the exit code (0 done, 130
 * stopped by Ctrl-C after saving). Usage mistakes throw {@link UsageError}.
 *
 * @example
 * ```ts
 * process.exitCode = await trainCommand(["--steps", "20"], { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), program: "bitnet" });
 * ```
 */
export async function trainCommand(args: readonly string[], ctx: CommandContext): Promise<number> {
  const command = ctx.program === "bitnet" ? "bitnet train" : ctx.program;
  const { values: v, positionals } = parseCommand(args, OPTIONS, command, true);
  if (v.help === true) {
    ctx.stdout.write(`${help(ctx.program)}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (options start with --; a text file goes after --data); see ${command} --help`);
  const say = (line: string): void => void ctx.stdout.write(`${line}\n`);
  // Paths are shown as typed (relative to where the user is) or absolute.
  const outShown = typeof v.out === "string" ? v.out : "out";
  const outDir = resolve(ctx.cwd, outShown);
  const shown = (file: string): string => join(outShown, file);
  const ckptPath = join(outDir, "checkpoint.safetensors");
  let record: RunRecord | undefined;
  let type: GgufWeightType;
  let recipe: LmTrainConfig;
  let dataPath: string | null;
  let stories: number;
  if (v.resume === true) {
    const fixed = RECIPE_OPTIONS.find((k) => v[k] !== undefined);
    if (fixed !== undefined) throw new UsageError(`--${fixed} cannot be given with --resume: the checkpoint fixes the recipe (drop --${fixed})`);
    if (!existsSync(ckptPath)) throw new UsageError(`--resume: there is no checkpoint at ${shown("checkpoint.safetensors")} (train without --resume first, or give the --out of that run)`);
    record = parseRecord(readCheckpointConfig(readFileSync(ckptPath)), shown("checkpoint.safetensors"));
    if (record.stepsDone >= record.recipe.steps) throw new UsageError(`--resume: the run in ${shown("checkpoint.safetensors")} is complete (${record.stepsDone} of ${record.recipe.steps} steps); train a new one without --resume`);
    recipe = record.recipe;
    type = choiceOption("type", v.type, TYPES, record.type);
    dataPath = record.data;
    stories = record.stories;
  } else {
    recipe = {
      ...d,
      steps: intOption("steps", v.steps, d.steps, 1),
      dim: intOption("dim", v.dim, d.dim, 2),
      layers: intOption("layers", v.layers, d.layers, 1),
      heads: intOption("heads", v.heads, d.heads, 1),
      kvHeads: intOption("kv-heads", v["kv-heads"], d.kvHeads, 1),
      ffnDim: intOption("ffn", v.ffn, d.ffnDim, 1),
      context: intOption("context", v.context, d.context, 2),
      batch: intOption("batch", v.batch, d.batch, 1),
      lr: floatOption("lr", v.lr, d.lr),
      vocab: intOption("vocab", v.vocab, d.vocab, 260),
      seed: intOption("seed", v.seed, d.seed, 0, 2 ** 32 - 1),
      evalIters: intOption("eval-iters", v["eval-iters"], d.evalIters, 1),
    };
    type = choiceOption("type", v.type, TYPES, "TQ2_0");
    checkSizes(recipe, type);
    stories = intOption("stories", v.stories, 1500, 1);
    dataPath = null;
    if (typeof v.data === "string") {
      dataPath = resolve(ctx.cwd, v.data);
      if (!existsSync(dataPath)) throw new UsageError(`--data ${v.data}: no such file (give a UTF-8 text file to train on)`);
      if (!statSync(dataPath).isFile()) throw new UsageError(`--data ${v.data}: not a file (give a UTF-8 text file to train on)`);
    }
  }
  const maxMinutes = floatOption("max-minutes", v["max-minutes"], 7);
  const sampleEvery = intOption("sample-every", v["sample-every"], record?.sampleEvery ?? 40);
  const evalEvery = intOption("eval-every", v["eval-every"], record?.evalEvery ?? sampleEvery);
  const dataShown = dataPath === null ? null : typeof v.data === "string" ? v.data : dataPath;
  const text = dataPath === null ? generateCorpus({ seed: recipe.seed, stories }) : readFileSync(dataPath, "utf8");
  if (text.trim() === "") throw new UsageError(`--data ${dataShown ?? ""}: the file has no text (give a UTF-8 text file to train on)`);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`--out ${outShown}: is a file, not a folder (give a folder for the results)`);
  const textHash = fnv1a(text);
  if (record !== undefined && record.textHash !== textHash) {
    throw new UsageError(`--resume: ${dataShown ?? "the generated text"} is not the text the checkpoint was trained on (it changed since)`);
  }
  const prompt = typeof v.prompt === "string" ? v.prompt : (record?.prompt ?? (dataPath === null ? DEFAULT_PROMPT : firstWords(text, 4)));
  if (prompt.trim() === "") throw new UsageError("--prompt is empty (give a few words to continue)");
  const name = record?.name ?? (dataPath === null ? "bitnet-quantize tiny stories" : `bitnet-quantize ${basename(dataPath, extname(dataPath))}`);

  let trainer: LmTrainer;
  try {
    trainer = new LmTrainer(text, recipe);
  } catch (e) {
    if (e instanceof LmTrainError) throw new UsageError(`${dataShown === null ? "--stories" : `--data ${dataShown}`}: ${e.message}`);
    throw e;
  }
  if (record !== undefined) {
    loadCheckpoint(readFileSync(ckptPath), { module: trainer.model, optimizer: trainer.optimizer });
    trainer.stepsDone = record.stepsDone;
    trainer.losses.push(...record.losses);
    trainer.valLosses.push(...record.valLosses);
  }
  const r = recipe;
  say(`corpus: ${dataShown ?? `${stories} generated tiny stories`}, ${text.length.toLocaleString("en-US")} characters -> ${(trainer.trainIds.length + trainer.valIds.length).toLocaleString("en-US")} tokens (vocabulary ${trainer.tokenizer.vocabSize}); ${trainer.valIds.length.toLocaleString("en-US")} held out for validation`);
  say(`model: dim ${r.dim}, ${r.layers} layers, ${r.heads} heads (${r.kvHeads} kv), ffn ${r.ffnDim}, context ${r.context}: ${(trainer.parameterCount / 1e6).toFixed(2)}M parameters, every projection a BitLinear`);
  if (record !== undefined) say(`resuming from ${shown("checkpoint.safetensors")} at step ${record.stepsDone} of ${r.steps}`);
  mkdirSync(outDir, { recursive: true });

  // Ctrl-C: the first stops after the current step (the handler runs between
  // steps, when the loop yields) and gives the terminal back; the listener is
  // then removed, so a later Ctrl-C gets Node's default action and ends the
  // process at once, even inside a step. A second Ctrl-C delivered in the same
  // batch as the first (both pressed during one step) exits here.
  const progress = new ProgressDisplay(ctx.stdout, r.steps, { live: v["no-progress"] === true ? false : undefined, plainEvery: 10 });
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) {
      progress.restoreTerminal();
      ctx.stderr.write("\nCtrl-C again: quitting without saving\n");
      process.exit(130);
    }
    interrupted = true;
    progress.restoreTerminal();
    progress.log("Ctrl-C: stopping after this step to save a checkpoint and the model (Ctrl-C again quits at once)");
    setImmediate(() => process.removeListener("SIGINT", onSigint));
  };
  process.on("SIGINT", onSigint);

  let stoppedEarly = false;
  const started = performance.now();
  const firstStep = trainer.stepsDone;
  let lastVal = trainer.valLosses.at(-1)?.loss;
  try {
    while (!trainer.done && !interrupted) {
      const loss = trainer.trainStep();
      const step = trainer.stepsDone;
      if (evalEvery > 0 && (step % evalEvery === 0 || step === r.steps)) lastVal = trainer.estimateLoss("val");
      const secs = (performance.now() - started) / 1000;
      const rate = (step - firstStep) / secs;
      progress.update({ step, loss, valLoss: lastVal, tokensPerSecond: rate * trainer.tokensPerStep, elapsed: secs, eta: (r.steps - step) / rate });
      if (evalEvery > 0 && (step % evalEvery === 0 || step === r.steps)) progress.log(`  val @${step}: ${(lastVal ?? Number.NaN).toFixed(3)} (train ${loss.toFixed(3)})`);
      if (sampleEvery > 0 && step % sampleEvery === 0 && step < r.steps) progress.log(`  sample @${step}: ${JSON.stringify(trainer.sample(prompt))}`);
      if (secs > maxMinutes * 60 && step < r.steps) {
        stoppedEarly = true;
        progress.log(`stopping after ${step} steps: the --max-minutes budget of ${maxMinutes} min is spent`);
        break;
      }
      // Let signals (Ctrl-C) and pending output through between steps.
      await new Promise<void>((done) => setImmediate(done));
    }
  } finally {
    progress.stop();
    // From here on Ctrl-C ends the process at once (Node's default).
    process.removeListener("SIGINT", onSigint);
  }
  const losses = trainer.losses;
  const step = trainer.stepsDone;
  if (losses.length > 0) {
    say(`loss: ${mean(losses.slice(0, 10)).toFixed(3)} (first 10 steps) -> ${mean(losses.slice(-10)).toFixed(3)} (last 10 steps)${lastVal === undefined ? "" : `, validation ${lastVal.toFixed(3)}`}${stoppedEarly || interrupted ? ` (stopped at step ${step} of ${r.steps})` : ""}`);
  }
  say(`final sample (greedy): ${JSON.stringify(trainer.sample(prompt))}`);

  // Charts, checkpoint, export.
  writeFileSync(join(outDir, "loss.svg"), lossCurveSvg(losses, { title: `BitNet b1.58 LM: loss per step (${step} steps, ${r.batch}x${r.context} tokens each)`, validation: trainer.valLosses }));
  const dist = trainer.ternaryDistribution();
  writeFileSync(join(outDir, "ternary.svg"), ternaryHistogramSvg(dist));
  const pct = (f: number): string => `${(100 * f).toFixed(1)}%`;
  say(`charts: ${shown("loss.svg")} (training and validation loss), ${shown("ternary.svg")} (ternary weights: -1 ${pct(dist.minus)}, 0 ${pct(dist.zero)}, +1 ${pct(dist.plus)} of ${dist.total.toLocaleString("en-US")})`);
  const next: RunRecord = { kind: "bitnet-train", recipe: r, stepsDone: step, losses, valLosses: trainer.valLosses, data: dataPath, stories, textHash, name, type, sampleEvery, evalEvery, prompt };
  await writeFileAtomic(ckptPath, saveCheckpoint({ module: trainer.model, optimizer: trainer.optimizer, config: JSON.parse(JSON.stringify(next)) as JsonValue }));
  const ggufPath = join(outDir, "model.gguf");
  const bytes = await exportGguf(trainer.model, trainer.tokenizer, { type, path: ggufPath, name, warn: (m) => say(`warning: ${m}`) });
  say(`checkpoint: ${shown("checkpoint.safetensors")} (step ${step} of ${r.steps}, with the optimizer state)`);
  say(`exported ${shown("model.gguf")} (${type}, ${(bytes.length / 1024).toFixed(0)} KiB)`);
  if (interrupted) {
    const again = `${ctx.program === "bitnet" ? "bitnet train" : ctx.program} --resume${typeof v.out === "string" ? ` --out ${quoteArg(v.out)}` : ""}`;
    say(`stopped by Ctrl-C after step ${step} of ${r.steps}; continue with: ${again}`);
  } else {
    say("run it with llama.cpp (b4747 or newer):");
    say(`  llama-cli -m ${quoteArg(shown("model.gguf"))} -p ${JSON.stringify(prompt)} -n 32 --temp 0 -no-cnv`);
  }
  say(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return interrupted ? 130 : 0;
}

/** Sizes the model and the export need, checked before any work. */
function checkSizes(r: LmTrainConfig, type: GgufWeightType): void {
  if (r.dim % r.heads !== 0) throw new UsageError(`--dim ${r.dim} must be a multiple of --heads ${r.heads} (e.g. --dim ${r.heads * 64})`);
  if ((r.dim / r.heads) % 2 !== 0) throw new UsageError(`--dim ${r.dim} / --heads ${r.heads} = ${r.dim / r.heads} must be even (RoPE rotates pairs)`);
  if (r.heads % r.kvHeads !== 0) throw new UsageError(`--heads ${r.heads} must be a multiple of --kv-heads ${r.kvHeads}`);
  if (type === "TQ2_0" || type === "TQ1_0") {
    for (const [flag, n] of [["dim", r.dim], ["ffn", r.ffnDim]] as const) {
      if (n % 256 !== 0) throw new UsageError(`--${flag} ${n} must be a multiple of 256 for --type ${type} (use --${flag} ${Math.max(256, Math.round(n / 256) * 256)}, or --type F16)`);
    }
  }
}

function parseRecord(config: unknown, shown: string): RunRecord {
  const ok = typeof config === "object" && config !== null && "kind" in config && config.kind === "bitnet-train" && "recipe" in config && "stepsDone" in config;
  if (!ok) throw new UsageError(`--resume: ${shown} is not a checkpoint of bitnet train`);
  return config as RunRecord;
}

function firstWords(text: string, n: number): string {
  return text.trim().split(/\s+/).slice(0, n).join(" ");
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${text.length}:${h.toString(16)}`;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** A path as a shell argument: unchanged when safe, single-quoted otherwise. */
function quoteArg(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

