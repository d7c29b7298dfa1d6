// The MLP classifier of the examples: Linear -> ReLU -> Linear, built from a
// layer factory so that the BitNet QAT example can pass BitLinear instead
// (or swap the Linear children afterwards with setSubmodule("0", ...)).
import { Linear, ReLU, Sequential, type Layer } from "@bitnet-quantize/autograd/nn";

/** Shapes and seed of {@link createMlp}. */
export interface MlpConfig {
  /** Input features (784 for 28x28 images). */
  readonly inputs: number;
  /** Hidden units (256 in the recipe). */
  readonly hidden: number;
  /** Output classes. */
  readonly classes: number;
  /** Seed of the initial weights. */
  readonly seed: number;
}

/** Makes one linear layer `[.., in] -> [.., out]` (default: `Linear`). */
export type LinearFactory = (inFeatures: number, outFeatures: number, seed: number) => Layer;

/**
 * `Sequential(linear(in, hidden), ReLU, linear(hidden, classes))`; children "0" and "2" are the linear layers.
 *
 * @example
 * ```ts
 * const model = createMlp({ inputs: 784, hidden: 256, classes: 10, seed: 0 });
 * model.forward(new Var(zeros([64, 784]))).shape; // [64, 10]
 * ```
 */
export function createMlp(config: MlpConfig, linear: LinearFactory = (i, o, seed) => new Linear(i, o, { seed })): Sequential {
  return new Sequential(linear(config.inputs, config.hidden, config.seed), new ReLU(), linear(config.hidden, config.classes, config.seed + 1));
}
