// Dropout: in training, zeroes each element with probability p and scales
// the rest by 1/(1-p); the identity in eval mode. Masks come from a seeded
// Generator (its own when given a seed, else the tensor package's default).
import { ArgumentError, Generator, rand } from "@bitnet-quantize/tensor";
import type { Var } from "../var.js";
import { Module } from "./module.js";

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Draw masks from this generator. */
  readonly generator?: Generator;
  /** Or a seed for this layer's own generator. */
  readonly seed?: number;
}

/**
 * Inverted dropout with probability `p` (default 0.5).
 *
 * @example
 * ```ts
 * const drop = new Dropout(0.5, { seed: 0 });
 * drop.forward(param(ones([4]))).toArray(); // e.g. [2, 0, 2, 0]
 * drop.eval().forward(param(ones([4]))).toArray(); // [1, 1, 1, 1]
 * ```
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;
  readonly #generator: Generator | undefined;

  constructor(p = 0.5, opts: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(`Dropout: p must be in [0, 1], got ${p}`);
    this.p = p;
    this.#generator = opts.generator ?? (opts.seed === undefined ? undefined : new Generator(opts.seed));
  }

  forward(x: Var): Var {
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return x.mul(0);
    const dtype = x.dtype === "float64" ? "float64" : "float32";
    const u = rand(x.shape, { dtype, ...(this.#generator === undefined ? {} : { generator: this.#generator }) });
    const mask = u.ge(this.p).cast(dtype).mul(1 / (1 - this.p));
    return x.mul(mask);
  }
}
