// Quantization-aware training of the 784-256-10 MLP with BitNet b1.58: the
// same recipe twice, once with float Linear layers (the baseline) and once
// with BitLinear (ternary weights, 8-bit activations, straight-through
// gradients), then the ternary model frozen to the integer kernel.
//
//   npm run example -- qat-fashion-mnist --help
//
// Shapes: B batch (64), F input features (784), H hidden (256), C classes (10).
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { Generator } from "@bitnet-quantize/tensor";
import type { Layer, Sequential } from "@bitnet-quantize/autograd/nn";
import { LRScheduler, SGD, warmupCosine } from "@bitnet-quantize/autograd/optim";
import { BitLinear } from "@bitnet-quantize/bitnet";
import { type Splits, createMlp, evaluate, syntheticShapes, trainEpoch } from "@bitnet-quantize/cli";
import { DataMissingError, FASHION_MNIST_DIR, UsageError, floatOption, intOption, loadFashionMnist } from "@bitnet-quantize/cli/node";

// ---- config -------------------------------------------------------------------

const HELP = `BitNet b1.58 quantization-aware training of a 784-256-10 MLP, with a float baseline.

options:
  --dataset NAME     fashion-mnist (default) or synthetic (generated, no install)
  --data DIR         folder with the four Fashion-MNIST .gz files (default ${FASHION_MNIST_DIR})
  --epochs N         passes over the training set for each model (default 5)
  --batch-size N     examples per step (default 64)
  --lr X             peak learning rate of SGD with momentum 0.9 (default 0.05)
  --seed N           seed of weights and shuffling (default 0)
  --skip-float       train only the BitNet model
  --no-progress      one line per epoch instead of a progress bar
  -h, --help         this text

Fashion-MNIST comes from Debian's package: sudo apt-get install dataset-fashion-mnist`;

/** The settings of a run. */
export interface QatConfig {
  readonly dataset: "fashion-mnist" | "synthetic";
  readonly dataDir: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  readonly skipFloat: boolean;
  readonly progress: boolean;
}

/**
 * Parses arguments (undefined after printing --help).
 *
 * @example
 * ```ts
 * parseQatConfig(["--dataset", "synthetic", "--epochs", "1"])?.epochs; // 1
 * ```
 */
export function parseQatConfig(argv: readonly string[]): QatConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dataset: { type: "string", default: "fashion-mnist" },
      data: { type: "string", default: FASHION_MNIST_DIR },
      epochs: { type: "string", default: "5" },
      "batch-size": { type: "string", default: "64" },
      lr: { type: "string", default: "0.05" },
      seed: { type: "string", default: "0" },
      "skip-float": { type: "boolean", default: false },
      "no-progress": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return undefined;
  }
  if (values.dataset !== "fashion-mnist" && values.dataset !== "synthetic") throw new UsageError(`--dataset must be fashion-mnist or synthetic, got ${values.dataset}`);
  const num = (name: string, v: string, integer: boolean): number => (integer ? intOption(name, v, 0) : floatOption(name, v, 0, 0, true));
  return {
    dataset: values.dataset,
    dataDir: values.data,
    epochs: num("epochs", values.epochs, true),
    batchSize: Math.max(1, num("batch-size", values["batch-size"], true)),
    lr: num("lr", values.lr, false),
    seed: num("seed", values.seed, true),
    skipFloat: values["skip-float"],
    progress: !values["no-progress"],
  };
}

/** Accuracy after each epoch, per model. */
export interface QatResult {
  readonly float: number[];
  readonly bitnet: number[];
  /** Accuracy of the BitNet model after freeze() (integer kernel). */
  readonly frozen: number;
  /** Fractions of -1, 0, +1 codes per BitLinear layer. */
  readonly distribution: { layer: string; minus: number; zero: number; plus: number }[];
}

/** Trains one model with the shared recipe (SGD + momentum, warmup + cosine) and returns accuracy per epoch. */
function train(label: string, model: Sequential, data: Splits, config: QatConfig): number[] {
  const stepsPerEpoch = Math.ceil(data.train.n / config.batchSize);
  const totalSteps = stepsPerEpoch * config.epochs;
  const optimizer = new SGD(model.parameters(), { lr: config.lr, momentum: 0.9 });
  const scheduler = new LRScheduler(optimizer, warmupCosine({ baseLr: config.lr, warmupSteps: Math.min(200, totalSteps), totalSteps }));
  const shuffle = new Generator(config.seed + 1000);
  const accuracies: number[] = [];
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const bar = config.progress ? new SingleBar({ format: `${label} epoch ${epoch}/${config.epochs} [{bar}] {value}/{total} | loss {loss} | {rate} ex/s`, hideCursor: true }) : undefined;
    bar?.start(stepsPerEpoch, 0, { loss: "-", rate: "-" });
    const start = performance.now();
    let seen = 0;
    let smoothed = NaN;
    const trainLoss = trainEpoch(model, optimizer, data.train, {
      batchSize: config.batchSize,
      generator: shuffle,
      scheduler,
      stepOffset: (epoch - 1) * stepsPerEpoch,
      onStep: ({ loss, size }) => {
        seen += size;
        smoothed = Number.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        bar?.increment({ loss: smoothed.toFixed(4), rate: (seen / ((performance.now() - start) / 1000)).toFixed(0) });
      },
    });
    bar?.stop();
    const { accuracy } = evaluate(model, data.test);
    accuracies.push(accuracy);
    console.log(`${label} epoch ${epoch}: train loss ${trainLoss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  }
  return accuracies;
}

/**
 * The whole comparison: float baseline, BitNet QAT, frozen BitNet, weight distribution.
 *
 * @example
 * ```ts
 * runQat(parseQatConfig(["--dataset", "synthetic", "--epochs", "1"])!).bitnet; // [0.9...]
 * ```
 */
export function runQat(config: QatConfig): QatResult {
  // ---- data ---------------------------------------------------------------------
  const data = config.dataset === "synthetic" ? syntheticShapes({ seed: config.seed }) : loadFashionMnist(config.dataDir);
  console.log(`data: ${data.source}: ${data.train.n} train, ${data.test.n} test`);
  const shape = { inputs: data.train.features, hidden: 256, classes: data.train.classes, seed: config.seed };

  // ---- float baseline ----------------------------------------------------------------
  const float = config.skipFloat ? [] : train("float  ", createMlp(shape), data, config);

  // ---- BitNet b1.58: the same MLP with BitLinear layers ----------------------------------
  const model = createMlp(shape, (i, o, seed): Layer => new BitLinear(i, o, { seed }));
  const bitnet = train("bitnet ", model, data, config);

  // ---- freeze: packed ternary weights, int8 x ternary integer kernel ---------------------
  const layers = model.namedModules().filter((e): e is [string, BitLinear] => e[1] instanceof BitLinear);
  for (const [, layer] of layers) layer.freeze();
  const frozen = evaluate(model, data.test).accuracy;

  const distribution = layers.map(([name, layer]) => {
    const codes = layer.quantizedWeight().codes.dataSync();
    const count = (v: number): number => codes.filter((c) => c === v).length / codes.length;
    return { layer: name, minus: count(-1), zero: count(0), plus: count(1) };
  });

  // ---- report ------------------------------------------------------------------------------
  const pct = (a: number | undefined): string => (a === undefined ? "-" : `${(a * 100).toFixed(2)}%`);
  console.log(`\nfinal test accuracy: float ${pct(float.at(-1))}, BitNet b1.58 (training forward) ${pct(bitnet.at(-1))}, BitNet frozen (integer kernel) ${pct(frozen)}`);
  console.log("ternary weight distribution:");
  for (const d of distribution) {
    console.log(`  layer ${d.layer}: -1 ${pct(d.minus)}  0 ${pct(d.zero)}  +1 ${pct(d.plus)}`);
  }
  for (const [name, layer] of layers) console.log(`  layer ${name}: compression ${layer.compressionRatio().toFixed(1)}x vs float32`);
  return { float, bitnet, frozen, distribution };
}

function main(): void {
  try {
    const config = parseQatConfig(process.argv.slice(2));
    if (config !== undefined) runQat(config);
  } catch (e) {
    // Mistakes on the command line and missing data: one line, exit code 2.
    const parseError = e instanceof Error && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS");
    if (e instanceof DataMissingError || e instanceof UsageError || parseError) {
      console.error(e.message.split("\n")[0]);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

// run when executed as a script, not when imported by another example
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
