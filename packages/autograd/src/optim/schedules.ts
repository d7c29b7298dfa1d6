// Learning-rate schedules as plain functions of the step (linear warmup then
// cosine decay; step decay), and a small scheduler that applies one to an optimizer.
import { ArgumentError } from "@bitnet-quantize/tensor";
import type { Optimizer } from "./optimizer.js";

/** The learning rate at a step (0-based). */
export type Schedule = (step: number) => number;

/** Options of {@link warmupCosine}. */
export interface WarmupCosineOptions {
  /** The peak learning rate, reached at the end of warmup. */
  readonly baseLr: number;
  /** Steps of linear warmup: `baseLr·(step + 1) / warmupSteps` (default 0). */
  readonly warmupSteps?: number;
  /** The step where the cosine reaches `minLr` (and stays). */
  readonly totalSteps: number;
  /** The final learning rate (default 0). */
  readonly minLr?: number;
}

/**
 * Linear warmup, then cosine decay from `baseLr` to `minLr` at `totalSteps`.
 *
 * @example
 * ```ts
 * const lr = warmupCosine({ baseLr: 1, warmupSteps: 10, totalSteps: 110 });
 * [lr(0), lr(9), lr(60), lr(110)]; // [0.1, 1, 0.5, 0]
 * ```
 */
export function warmupCosine(opts: WarmupCosineOptions): Schedule {
  const warmup = opts.warmupSteps ?? 0;
  const minLr = opts.minLr ?? 0;
  if (opts.totalSteps < warmup) throw new ArgumentError(`warmupCosine: totalSteps ${opts.totalSteps} is before the end of warmup ${warmup}`);
  return (step) => {
    if (step < warmup) return (opts.baseLr * (step + 1)) / warmup;
    const span = opts.totalSteps - warmup;
    const progress = span === 0 ? 1 : Math.min(1, (step - warmup) / span);
    return minLr + 0.5 * (opts.baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
  };
}

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** The starting learning rate. */
  readonly baseLr: number;
  /** Multiply by `gamma` every `stepSize` steps. */
  readonly stepSize: number;
  /** Default 0.1 (as PyTorch's StepLR). */
  readonly gamma?: number;
}

/**
 * `baseLr · gamma^⌊step / stepSize⌋` (PyTorch's StepLR).
 *
 * @example
 * ```ts
 * const lr = stepDecay({ baseLr: 1, stepSize: 10, gamma: 0.5 });
 * [lr(0), lr(10), lr(25)]; // [1, 0.5, 0.25]
 * ```
 */
export function stepDecay(opts: StepDecayOptions): Schedule {
  if (!(opts.stepSize > 0)) throw new ArgumentError(`stepDecay: stepSize must be positive, got ${opts.stepSize}`);
  return (step) => opts.baseLr * (opts.gamma ?? 0.1) ** Math.floor(step / opts.stepSize);
}

/**
 * Applies a schedule: sets `optimizer.lr = schedule(0)` now and
 * `schedule(n)` at the n-th call of {@link step} (call it after `optimizer.step()`).
 *
 * @example
 * ```ts
 * const sched = new LRScheduler(opt, warmupCosine({ baseLr: 1e-3, warmupSteps: 100, totalSteps: 10_000 }));
 * opt.step(); sched.step(); // opt.lr is now schedule(1)
 * ```
 */
export class LRScheduler {
  readonly #optimizer: Optimizer;
  readonly #schedule: Schedule;
  #step = 0;

  constructor(optimizer: Optimizer, schedule: Schedule) {
    this.#optimizer = optimizer;
    this.#schedule = schedule;
    optimizer.lr = schedule(0);
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.#step;
  }

  /** The learning rate set last. */
  get lastLr(): number {
    return this.#optimizer.lr;
  }

  /** Advances one step and sets the optimizer's learning rate. */
  step(): void {
    this.#step++;
    this.#optimizer.lr = this.#schedule(this.#step);
  }
}
