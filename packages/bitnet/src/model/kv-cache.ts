// KVCache: the keys and values of past positions, per layer, for
// incremental decoding. float32 storage; with `"f16"` every stored value is
// rounded to binary16 first (llama.cpp's default cache type). Not the
// attention math.
//
// Shapes per layer: keys and values [S, K·D] with S = capacity (contextLength),
// K kv heads, D head size; `length` positions are filled.
import { residentFloat32 } from "@bitnet-quantize/tensor";
import { BitNetError } from "../errors.js";
import { roundFloat32ToFloat16, roundToFloat16 } from "./float16.js";

/**
 * The precision of cached keys and values: `"f32"`, or `"f16"` as llama.cpp
 * keeps them by default (values rounded to binary16).
 *
 * @example
 * ```ts
 * const t: KVCacheType = "f16";
 * ```
 */
export type KVCacheType = "f32" | "f16";

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
  readonly type: KVCacheType;
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
  constructor(layers: number, capacity: number, kvDim: number, type: KVCacheType = "f32") {
    if (type !== "f32" && type !== "f16") throw new BitNetError(`KVCache: type must be "f32" or "f16", got ${JSON.stringify(type)}`);
    this.type = type;
    this.layers = layers;
    this.capacity = capacity;
    this.kvDim = kvDim;
    // in the CPU kernels' shared wasm memory where it exists, so attention's dot kernels read them in place
    this.keys = Array.from({ length: layers }, () => residentFloat32(capacity * kvDim));
    this.values = Array.from({ length: layers }, () => residentFloat32(capacity * kvDim));
  }

  /**
   * Stores one position's keys and values (`kvDim` floats each) of `layer`,
   * rounded to the cache's precision.
   *
   * @example
   * ```ts
   * cache.write(0, cache.length, k, v);
   * ```
   */
  write(layer: number, pos: number, k: ArrayLike<number>, v: ArrayLike<number>): void {
    if (pos < 0 || pos >= this.capacity) throw new BitNetError(`KVCache.write: position ${pos} is outside 0..${this.capacity - 1}`);
    const kc = this.keys[layer];
    const vc = this.values[layer];
    if (kc === undefined || vc === undefined) throw new BitNetError(`KVCache.write: layer ${layer} is outside 0..${this.layers - 1}`);
    const D = this.kvDim;
    const o = pos * D;
    if (this.type === "f16" && k instanceof Float32Array && v instanceof Float32Array && k.length >= D && v.length >= D) {
      roundFloat32ToFloat16(k, kc, o, D);
      roundFloat32ToFloat16(v, vc, o, D);
    } else if (this.type === "f16") {
      for (let i = 0; i < D; i++) {
        kc[o + i] = roundToFloat16(k[i]);
        vc[o + i] = roundToFloat16(v[i]);
      }
    } else {
      for (let i = 0; i < D; i++) {
        kc[o + i] = k[i];
        vc[o + i] = v[i];
      }
    }
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
