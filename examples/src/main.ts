// The main demo (`npm start`): trains a small BitNet b1.58 language model on
// generated tiny stories, shows it learning, and exports a GGUF that
// llama.cpp runs. Options: `npm start -- --help`. The recipe is in train-lm.ts.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { GgufWeightType } from "@bitnet-quantize/bitnet/gguf";
import { numberOption } from "./cli.js";
import { DEFAULT_TRAIN_OPTIONS, type TrainLmOptions, trainLm } from "./train-lm.js";

const d = DEFAULT_TRAIN_OPTIONS;
const HELP = `Train a BitNet b1.58 language model in TypeScript and export it for llama.cpp.

usage: npm start -- [options]

  --steps N         training steps (default ${d.steps}; each is --batch x --context tokens)
  --dim N           model width, a multiple of 256 for TQ export (default ${d.dim})
  --layers N        decoder layers (default ${d.layers})
  --heads N         attention heads (default ${d.heads})
  --kv-heads N      key/value heads, divides --heads (default ${d.kvHeads})
  --ffn N           feed-forward width, a multiple of 256 for TQ export (default ${d.ffnDim})
  --context N       sequence length and the model's context (default ${d.context})
  --batch N         sequences per step (default ${d.batch})
  --lr X            peak learning rate of AdamW, warmup then cosine (default ${d.lr})
  --vocab N         tokenizer size: 259 specials and bytes, characters, merges (default ${d.vocab})
  --data FILE       train on this UTF-8 text file instead of the generated stories
  --out DIR         output directory for loss.svg and model.gguf, relative to where
                    npm start runs (default ${d.outDir})
  --type T          GGUF projection type: TQ2_0, TQ1_0, F16 or F32 (default ${d.type})
  --seed N          seed for data, weights and batches (default ${d.seed})
  --max-minutes X   stop training after X minutes; the export still runs (default ${d.maxMinutes})
  --sample-every N  print a greedy sample every N steps, 0 for none (default ${d.sampleEvery})
  --prompt TEXT     the sample prompt (default "${d.prompt}")
  --no-progress     log lines instead of a progress bar
  -h, --help        this text`;

const { values } = parseArgs({
  options: {
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
    out: { type: "string" },
    type: { type: "string" },
    seed: { type: "string" },
    "max-minutes": { type: "string" },
    "sample-every": { type: "string" },
    prompt: { type: "string" },
    "no-progress": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});

if (values.help === true) {
  console.log(HELP);
} else {
  const num = (name: string, v: string | undefined, fallback: number, integer = true): number => numberOption(name, v, fallback, { integer });
  const types: readonly GgufWeightType[] = ["TQ2_0", "TQ1_0", "F16", "F32"];
  const type = types.find((t) => t === (values.type ?? d.type));
  if (type === undefined) throw new Error(`--type must be one of ${types.join(", ")}, got ${JSON.stringify(values.type)}`);
  // `npm start` at the root runs this file from the root, so relative paths are the user's
  const cwd = process.cwd();
  const opts: TrainLmOptions = {
    steps: num("steps", values.steps, d.steps),
    dim: num("dim", values.dim, d.dim),
    layers: num("layers", values.layers, d.layers),
    heads: num("heads", values.heads, d.heads),
    kvHeads: num("kv-heads", values["kv-heads"], d.kvHeads),
    ffnDim: num("ffn", values.ffn, d.ffnDim),
    context: num("context", values.context, d.context),
    batch: num("batch", values.batch, d.batch),
    lr: num("lr", values.lr, d.lr, false),
    vocab: num("vocab", values.vocab, d.vocab),
    seed: num("seed", values.seed, d.seed),
    data: values.data === undefined ? undefined : resolve(cwd, values.data),
    outDir: resolve(cwd, values.out ?? d.outDir),
    type,
    maxMinutes: num("max-minutes", values["max-minutes"], d.maxMinutes, false),
    sampleEvery: num("sample-every", values["sample-every"], d.sampleEvery),
    prompt: values.prompt ?? d.prompt,
    progress: values["no-progress"] === true ? false : d.progress,
    cwd,
  };
  await trainLm(opts, (line) => console.log(line));
}
