// A binary max-heap of candidate merges for the SPM encoder, ordered as
// llama.cpp's `llm_bigram_spm::comparator`: higher score first, then the
// smaller left index. Not the encoder itself (spm-tokenizer.ts).

/**
 * A candidate merge of the symbols at `left` and `right` into a piece of `size` UTF-16 units with `score`.
 *
 * @example
 * ```ts
 * const b: Bigram = { left: 0, right: 1, score: -1, size: 2 };
 * ```
 */
export interface Bigram {
  readonly left: number;
  readonly right: number;
  readonly score: number;
  readonly size: number;
}

/** True when `a` should pop before `b`. */
function before(a: Bigram, b: Bigram): boolean {
  return a.score > b.score || (a.score === b.score && a.left < b.left);
}

/**
 * The queue of candidate merges: `push`, and `pop` the best one.
 *
 * @example
 * ```ts
 * const q = new BigramQueue();
 * q.push({ left: 3, right: 4, score: -1, size: 2 });
 * q.push({ left: 0, right: 1, score: -1, size: 2 });
 * q.pop()?.left; // 0 (equal scores: leftmost first)
 * ```
 */
export class BigramQueue {
  readonly #heap: Bigram[] = [];

  /** Number of queued candidates. @example `new BigramQueue().size; // 0` */
  get size(): number {
    return this.#heap.length;
  }

  /** Adds a candidate. @example `q.push({ left: 0, right: 1, score: 0, size: 2 })` */
  push(b: Bigram): void {
    const h = this.#heap;
    h.push(b);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (!before(b, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = b;
  }

  /** Removes and returns the best candidate, or `undefined` when empty. @example `q.pop()` */
  pop(): Bigram | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && before(h[r], h[l]) ? r : l;
      if (!before(h[child], last)) break;
      h[i] = h[child];
      i = child;
    }
    h[i] = last;
    return top;
  }
}
