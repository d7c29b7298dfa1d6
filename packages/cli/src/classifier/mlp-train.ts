// The training loop pieces the MLP examples share: one epoch of mini-batch
// training (forward, loss, backward, clip, step, schedule) and evaluation
// under noGrad. Model-agnostic: any Module from Var [B, F] to logits [B, C].
import { type Generator, tidy } from "@bitnet-quantize/tensor";
import { Var, noGrad } from "@bitnet-quantize/autograd";
import { type Layer, crossEntropy } from "@bitnet-quantize/autograd/nn";
import { type LRScheduler, type Optimizer, clipGradNorm } from "@bitnet-quantize/autograd/optim";
import { type Dataset, batches } from "../data/dataset.js";

/** What one training step reports to the caller (for a progress bar or a log). */
export interface StepInfo {
  /** Global step, counted from 1. */
  readonly step: number;
  /** The batch's loss. */
  readonly loss: number;
  /** Examples in the batch. */
  readonly size: number;
}

/** Options of {@link trainEpoch}. */
export interface TrainEpochOptions {
  readonly batchSize: number;
  /** Shuffles the examples. */
  readonly generator: Generator;
  /** Applied after each optimizer step. */
  readonly scheduler?: LRScheduler;
  /** Clip the global gradient norm (off when undefined). */
  readonly clipNorm?: number;
  /** Label smoothing of the loss (default 0). */
  readonly labelSmoothing?: number;
  /** Called after every step. */
  readonly onStep?: (info: StepInfo) => void;
  /** Global step count before this epoch (default 0). */
  readonly stepOffset?: number;
}

/**
 * One pass over `data` in shuffled mini-batches; returns the mean training loss.
 *
 * @example
 * ```ts
 * const loss = trainEpoch(model, opt, train, { batchSize: 64, generator: new Generator(0) }); // e.g. 0.52
 * ```
 */
export function trainEpoch(model: Layer, optimizer: Optimizer, data: Dataset, opts: TrainEpochOptions): number {
  model.train();
  let step = opts.stepOffset ?? 0;
  let total = 0;
  for (const batch of batches(data, opts.batchSize, opts.generator)) {
    // one scope per step: every intermediate (activations, gradients, the
    // optimizer's temporaries) is freed when it ends, not when GC runs
    const value = tidy(() => {
      optimizer.zeroGrad();
      const logits = model.forward(new Var(batch.x));
      const loss = crossEntropy(logits, batch.y, { labelSmoothing: opts.labelSmoothing ?? 0 });
      loss.backward();
      if (opts.clipNorm !== undefined) clipGradNorm(optimizer.params, opts.clipNorm);
      optimizer.step();
      opts.scheduler?.step();
      return loss.item();
    });
    total += value * batch.size;
    step++;
    opts.onStep?.({ step, loss: value, size: batch.size });
  }
  return total / data.n;
}

/** Accuracy and mean loss on a data set. */
export interface EvalResult {
  readonly accuracy: number;
  readonly loss: number;
}

/**
 * Accuracy and mean cross-entropy of `model` on `data`, in eval mode and without a graph.
 *
 * @example
 * ```ts
 * evaluate(model, test, 1000); // e.g. { accuracy: 0.87, loss: 0.36 } after a few epochs
 * ```
 */
export function evaluate(model: Layer, data: Dataset, batchSize = 1000): EvalResult {
  model.eval();
  let correct = 0;
  let lossSum = 0;
  noGrad(() => {
    for (const batch of batches(data, batchSize)) {
      const logits = model.forward(new Var(batch.x));
      lossSum += crossEntropy(logits, batch.y, { reduction: "sum" }).item();
      const predicted = logits.value.argmax(1).dataSync();
      const labels = batch.y.dataSync();
      for (let i = 0; i < batch.size; i++) if (predicted[i] === labels[i]) correct++;
    }
  });
  model.train();
  return { accuracy: correct / data.n, loss: lossSum / data.n };
}
