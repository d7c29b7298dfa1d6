// Choosing the next token from logits: greedy argmax at temperature 0,
// otherwise softmax(logits / temperature) over the top-k, drawn with a
// seeded generator. Not the decoding loop (bitnet-model.ts).
import type { Generator } from "@bitnet-quantize/tensor";

/**
 * Options of {@link sampleToken}.
 *
 * @example
 * ```ts
 * const opts: SampleOptions = { temperature: 0.8, topK: 10 };
 * ```
 */
export interface SampleOptions {
  /** 0 (default) is greedy argmax; higher flattens the distribution. */
  readonly temperature?: number;
  /** Keep only the k largest logits (default: all). */
  readonly topK?: number;
}

/**
 * The index of the largest value (the first one on ties).
 *
 * @example
 * ```ts
 * argmax(Float32Array.of(1, 3, 3), 0, 3); // 1
 * ```
 */
export function argmax(v: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i < length; i++) {
    const x = v[start + i];
    if (x > bestV) {
      bestV = x;
      best = i;
    }
  }
  return best;
}

/**
 * Picks a token from `logits[start .. start + V)`.
 *
 * @example
 * ```ts
 * sampleToken(Float32Array.of(0, 5, 1), 0, 3, { temperature: 0 }, gen); // 1
 * ```
 */
export function sampleToken(logits: ArrayLike<number>, start: number, V: number, opts: SampleOptions, gen: Generator): number {
  const temperature = opts.temperature ?? 0;
  if (!(temperature > 0)) return argmax(logits, start, V);
  const ids = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[start + b] - logits[start + a] || a - b);
  const k = Math.max(1, Math.min(V, opts.topK ?? V));
  const top = ids.slice(0, k);
  const maxL = logits[start + top[0]];
  const weights = top.map((i) => Math.exp((logits[start + i] - maxL) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = gen.nextFloat() * total;
  for (let j = 0; j < k; j++) {
    u -= weights[j];
    if (u <= 0) return top[j];
  }
  return top[k - 1];
}
