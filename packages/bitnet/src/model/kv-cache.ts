// KVCache: the keys and values of past positions, per layer, for
// incremental decoding. Plain float32 storage; not the attention math.
//
// Shapes per layer: keys and values [S, K·D] with S = capacity (contextLength),
// K kv heads, D head size; `length` positions are filled.
import { BitNetError } from "../errors.js";

/**
 * A key/value cache for `layers` layers of `kvDim` = K·D floats per position.
 *
 * @example
 * ```ts
 * const cache = new KVCache(2, 128, 64);
 * cache.length; // 0
 * ```
 */
export class KVCache {
  readonly layers: number;
  readonly capacity: number;
  readonly kvDim: number;
  readonly keys: Float32Array[];
  readonly values: Float32Array[];
  #length = 0;

  /**
   * Zeroed storage for `capacity` positions of every layer.
   *
   * @example
   * ```ts
   * new KVCache(1, 4, 8).keys[0]?.length; // 32
   * ```
   */
  constructor(layers: number, capacity: number, kvDim: number) {
    this.layers = layers;
    this.capacity = capacity;
    this.kvDim = kvDim;
    this.keys = Array.from({ length: layers }, () => new Float32Array(capacity * kvDim));
    this.values = Array.from({ length: layers }, () => new Float32Array(capacity * kvDim));
  }

  /** Filled positions. @example `cache.length; // 5 after a 5-token prompt` */
  get length(): number {
    return this.#length;
  }

  /** Positions left. @example `cache.remaining; // capacity - length` */
  get remaining(): number {
    return this.capacity - this.#length;
  }

  /**
   * Marks `n` more positions filled (after their keys and values were written); throws when full.
   *
   * @example
   * ```ts
   * cache.advance(1);
   * ```
   */
  advance(n: number): void {
    if (this.#length + n > this.capacity) {
      throw new BitNetError(`KVCache: ${this.#length} + ${n} positions exceed the context length ${this.capacity}`);
    }
    this.#length += n;
  }

  /** Empties the cache (the storage is reused). @example `cache.clear(); cache.length; // 0` */
  clear(): void {
    this.#length = 0;
  }
}
