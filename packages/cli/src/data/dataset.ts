// A classification data set in memory (features as float32 rows, integer
// labels) and shuffled mini-batches of it as tensors.
import { type Generator, type Tensor, tensor } from "@bitnet-quantize/tensor";

/** N examples of F features each, with labels in [0, classes). */
export interface Dataset {
  /** Row-major `[n, features]`. */
  readonly x: Float32Array;
  /** `[n]`. */
  readonly y: Int32Array;
  readonly n: number;
  readonly features: number;
  readonly classes: number;
}

/** A training and a test split. */
export interface Splits {
  readonly train: Dataset;
  readonly test: Dataset;
  /** Where the data came from, for the log. */
  readonly source: string;
}

/** One mini-batch: inputs `[B, F]` float32 and targets `[B]` int32. */
export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly size: number;
}

/**
 * Mini-batches over a data set, in a random order drawn from `generator` (in
 * order when it is omitted). The last batch may be smaller.
 *
 * @example
 * ```ts
 * for (const b of batches(train, 64, new Generator(0))) model.forward(new Var(b.x)); // b.x: [64, 784]
 * ```
 */
export function* batches(data: Dataset, batchSize: number, generator?: Generator): IterableIterator<Batch> {
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  if (generator !== undefined) {
    for (let i = data.n - 1; i > 0; i--) {
      const j = generator.nextInt(0, i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
  const F = data.features;
  for (let start = 0; start < data.n; start += batchSize) {
    const size = Math.min(batchSize, data.n - start);
    const xb = new Float32Array(size * F);
    const yb = new Int32Array(size);
    for (let r = 0; r < size; r++) {
      const i = order[start + r];
      xb.set(data.x.subarray(i * F, (i + 1) * F), r * F);
      yb[r] = data.y[i];
    }
    yield { x: tensor(xb, [size, F]), y: tensor(yb, [size]), size };
  }
}
