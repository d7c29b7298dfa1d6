// Train a 784-256-10 MLP classifier on Fashion-MNIST (or the built-in
// synthetic shapes) with @bitnet-quantize/autograd. Reads top to bottom like a
// recipe: config, data, model, optimizer, schedule, train, evaluate, log.
//
//   npm run example -- mlp-fashion-mnist --help
//
// Shapes: B batch (64), F input features (784 = 28·28), H hidden (256), C classes (10).
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { Generator } from "@bitnet-quantize/tensor";
import { LRScheduler, SGD, warmupCosine } from "@bitnet-quantize/autograd/optim";
import { type Splits, createMlp, evaluate, syntheticShapes, trainEpoch } from "@bitnet-quantize/cli";
import { DataMissingError, FASHION_MNIST_DIR, UsageError, floatOption, intOption, loadFashionMnist } from "@bitnet-quantize/cli/node";

// ---- config -------------------------------------------------------------------

const HELP = `Train a 784-256-10 MLP on Fashion-MNIST with @bitnet-quantize/autograd.

options:
  --dataset NAME     fashion-mnist (default) or synthetic (generated, no install)
  --data DIR         folder with the four Fashion-MNIST .gz files (default ${FASHION_MNIST_DIR})
  --epochs N         passes over the training set (default 3)
  --batch-size N     examples per step (default 64)
  --lr X             peak learning rate of SGD with momentum 0.9 (default 0.05)
  --hidden N         hidden units (default 256)
  --seed N           seed of the weights and the shuffling (default 0)
  --no-progress      log one line per epoch instead of a progress bar
  -h, --help         this text

Fashion-MNIST comes from Debian's package: sudo apt-get install dataset-fashion-mnist`;

/** The settings of a run. */
export interface Config {
  readonly dataset: "fashion-mnist" | "synthetic";
  readonly dataDir: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly hidden: number;
  readonly seed: number;
  readonly progress: boolean;
}

/**
 * Parses command-line arguments into a {@link Config} (undefined after printing --help).
 *
 * @example
 * ```ts
 * parseConfig(["--epochs", "1", "--dataset", "synthetic"]); // { epochs: 1, dataset: "synthetic", ... }
 * ```
 */
export function parseConfig(argv: readonly string[]): Config | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dataset: { type: "string", default: "fashion-mnist" },
      data: { type: "string", default: FASHION_MNIST_DIR },
      epochs: { type: "string", default: "3" },
      "batch-size": { type: "string", default: "64" },
      lr: { type: "string", default: "0.05" },
      hidden: { type: "string", default: "256" },
      seed: { type: "string", default: "0" },
      "no-progress": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return undefined;
  }
  const dataset = values.dataset;
  if (dataset !== "fashion-mnist" && dataset !== "synthetic") throw new UsageError(`--dataset must be fashion-mnist or synthetic, got ${dataset}`);
  const num = (name: string, v: string, integer: boolean): number => (integer ? intOption(name, v, 0) : floatOption(name, v, 0, 0, true));
  return {
    dataset,
    dataDir: values.data,
    epochs: num("epochs", values.epochs, true),
    batchSize: Math.max(1, num("batch-size", values["batch-size"], true)),
    lr: num("lr", values.lr, false),
    hidden: Math.max(1, num("hidden", values.hidden, true)),
    seed: num("seed", values.seed, true),
    progress: !values["no-progress"],
  };
}

/**
 * Loads the data a config asks for.
 *
 * @example
 * ```ts
 * loadData({ ...config, dataset: "synthetic" }).train.n; // 12000
 * ```
 */
export function loadData(config: Config): Splits {
  return config.dataset === "synthetic" ? syntheticShapes({ seed: config.seed }) : loadFashionMnist(config.dataDir);
}

/** Per-epoch results of {@link runRecipe}. */
export interface EpochLog {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly seconds: number;
  readonly examplesPerSecond: number;
}

/**
 * The whole recipe: data, model, optimizer, schedule, then train and evaluate
 * each epoch. Returns the per-epoch log.
 *
 * @example
 * ```ts
 * const log = runRecipe(parseConfig(["--dataset", "synthetic", "--epochs", "1"])!); // [{ epoch: 1, testAccuracy: 0.9.., ... }]
 * ```
 */
export function runRecipe(config: Config): EpochLog[] {
  // ---- data ---------------------------------------------------------------------
  const { train, test, source } = loadData(config);
  console.log(`data: ${source}: ${train.n} train, ${test.n} test, ${train.features} features, ${train.classes} classes`);

  // ---- model --------------------------------------------------------------------
  const model = createMlp({ inputs: train.features, hidden: config.hidden, classes: train.classes, seed: config.seed });
  const nParams = model.parameters().reduce((s, p) => s + p.size, 0);
  console.log(`model: ${train.features}-${config.hidden}-${train.classes} MLP, ${nParams} parameters`);

  // ---- optimizer and schedule ------------------------------------------------------
  const stepsPerEpoch = Math.ceil(train.n / config.batchSize);
  const totalSteps = stepsPerEpoch * config.epochs;
  const optimizer = new SGD(model.parameters(), { lr: config.lr, momentum: 0.9 });
  const scheduler = new LRScheduler(optimizer, warmupCosine({ baseLr: config.lr, warmupSteps: Math.min(200, totalSteps), totalSteps }));

  // ---- train and evaluate -----------------------------------------------------------
  const shuffle = new Generator(config.seed + 1000);
  const log: EpochLog[] = [];
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const bar = config.progress
      ? new SingleBar({ format: `epoch ${epoch}/${config.epochs} [{bar}] {value}/{total} | loss {loss} | {rate} ex/s | lr {lr}`, hideCursor: true })
      : undefined;
    bar?.start(stepsPerEpoch, 0, { loss: "-", rate: "-", lr: optimizer.lr.toExponential(2) });
    const start = performance.now();
    let seen = 0;
    let smoothed = NaN;
    const trainLoss = trainEpoch(model, optimizer, train, {
      batchSize: config.batchSize,
      generator: shuffle,
      scheduler,
      stepOffset: (epoch - 1) * stepsPerEpoch,
      onStep: ({ loss, size }) => {
        seen += size;
        smoothed = Number.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        const rate = seen / ((performance.now() - start) / 1000);
        bar?.increment({ loss: smoothed.toFixed(4), rate: rate.toFixed(0), lr: optimizer.lr.toExponential(2) });
      },
    });
    bar?.stop();
    const seconds = (performance.now() - start) / 1000;
    const { accuracy, loss } = evaluate(model, test);
    const entry = { epoch, trainLoss, testAccuracy: accuracy, testLoss: loss, seconds, examplesPerSecond: train.n / seconds };
    log.push(entry);
    console.log(
      `epoch ${epoch}: train loss ${trainLoss.toFixed(4)}, test loss ${loss.toFixed(4)}, ` +
        `test accuracy ${(accuracy * 100).toFixed(2)}% (${seconds.toFixed(1)} s, ${entry.examplesPerSecond.toFixed(0)} examples/s)`,
    );
  }
  const last = log.at(-1);
  if (last !== undefined) console.log(`final test accuracy: ${(last.testAccuracy * 100).toFixed(2)}%`);
  return log;
}

function main(): void {
  try {
    const config = parseConfig(process.argv.slice(2));
    if (config !== undefined) runRecipe(config);
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
