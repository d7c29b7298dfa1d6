// Seeded random numbers: a small, fast generator (xoshiro128**, seeded with
// splitmix32) written in 32-bit integer arithmetic, so the same seed gives the
// same numbers on every platform and JS engine.
import type { Backend } from "./backend.js";
import { getBackend } from "./backend-registry.js";
import { type DType, allocTyped, isFloat } from "./dtype.js";
import { ArgumentError, DTypeError } from "./errors.js";
import { type Shape, checkShape, numel } from "./shape.js";
import { type Tensor, fromStorage } from "./tensor.js";

/**
 * A seeded pseudo-random generator (xoshiro128**). Reproducible across runs
 * and platforms; not for cryptography.
 *
 * @example
 * ```ts
 * const g = new Generator(42);
 * g.nextUint32(); // the same number on every machine
 * randn([2, 2], { generator: g });
 * ```
 */
export class Generator {
  #s = new Uint32Array(4);
  #spare: number | undefined;

  /** Seeds the generator with any 32-bit integer (or any number, reduced mod 2^32). */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /**
   * Resets the state from a seed.
   *
   * @example
   * ```ts
   * g.manualSeed(7);
   * ```
   */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new ArgumentError(`Generator: seed must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.#spare = undefined;
    return this;
  }

  /**
   * The next uniformly distributed 32-bit unsigned integer.
   *
   * @example
   * ```ts
   * new Generator(1).nextUint32() < 2 ** 32; // true
   * ```
   */
  nextUint32(): number {
    const s = this.#s;
    const s1 = s[1];
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = s[2] ^ s[0];
    s[3] = s[3] ^ s1;
    s[1] = s1 ^ s[2];
    s[0] = s[0] ^ s[3];
    s[2] = s[2] ^ t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /**
   * A uniform double in `[0, 1)` with 53 random bits.
   *
   * @example
   * ```ts
   * const u = new Generator(1).nextFloat(); // 0 <= u < 1
   * ```
   */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A standard normal sample (Box-Muller, both values used).
   *
   * @example
   * ```ts
   * const z = new Generator(1).nextNormal();
   * ```
   */
  nextNormal(): number {
    if (this.#spare !== undefined) {
      const v = this.#spare;
      this.#spare = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in `[low, high)`, without modulo bias.
   *
   * @example
   * ```ts
   * new Generator(1).nextInt(0, 6); // 0..5
   * ```
   */
  nextInt(low: number, high: number): number {
    const range = high - low;
    if (!Number.isInteger(low) || !Number.isInteger(high) || range <= 0 || range > 2 ** 32) {
      throw new ArgumentError(`nextInt: need integers low < high with high - low <= 2^32, got ${low} and ${high}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % range);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return low + (x % range);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let defaultGenerator: Generator | undefined;

/**
 * Reseeds the default generator used when no `generator` or `seed` is given.
 *
 * @example
 * ```ts
 * manualSeed(0); const a = randn([3]);
 * manualSeed(0); const b = randn([3]); // same values as a
 * ```
 */
export function manualSeed(seed: number): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}

/** Options of the random creation functions. */
export interface RandomOptions<D extends DType> {
  /** Output dtype (float32 for rand/randn, int32 for randint). */
  readonly dtype?: D;
  /** The generator to draw from (advanced by the call). */
  readonly generator?: Generator;
  /** A seed for a fresh generator (ignored when `generator` is given). */
  readonly seed?: number;
  /** Backend (default: the current one). */
  readonly backend?: Backend;
}

function pickGenerator(opts: RandomOptions<DType> | undefined): Generator {
  if (opts?.generator !== undefined) return opts.generator;
  if (opts?.seed !== undefined) return new Generator(opts.seed);
  defaultGenerator ??= new Generator(0);
  return defaultGenerator;
}

function floatDType(dtype: DType | undefined, op: string): "float32" | "float64" {
  const d = dtype ?? "float32";
  if (!isFloat(d)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${d}`);
  return d;
}

/**
 * Uniform samples in `[0, 1)`.
 *
 * @example
 * ```ts
 * rand([2, 3], { seed: 1 }).shape; // [2, 3]
 * ```
 */
export function rand<D extends "float32" | "float64" = "float32">(shape: Shape, opts?: RandomOptions<D>): Tensor<D> {
  const s = checkShape(shape, "rand");
  const dt = floatDType(opts?.dtype, "rand");
  const g = pickGenerator(opts);
  const data = allocTyped(dt, numel(s));
  for (let i = 0; i < data.length; i++) data[i] = g.nextFloat();
  return fromStorage((opts?.backend ?? getBackend()).upload(data, dt), s, dt) as Tensor<D>;
}

/**
 * Standard normal samples (mean 0, variance 1).
 *
 * @example
 * ```ts
 * randn([1000], { seed: 1 }).mean().item(); // close to 0
 * ```
 */
export function randn<D extends "float32" | "float64" = "float32">(shape: Shape, opts?: RandomOptions<D>): Tensor<D> {
  const s = checkShape(shape, "randn");
  const dt = floatDType(opts?.dtype, "randn");
  const g = pickGenerator(opts);
  const data = allocTyped(dt, numel(s));
  for (let i = 0; i < data.length; i++) data[i] = g.nextNormal();
  return fromStorage((opts?.backend ?? getBackend()).upload(data, dt), s, dt) as Tensor<D>;
}

/**
 * Uniform integers in `[low, high)` (int32 by default).
 *
 * @example
 * ```ts
 * randint(0, 10, [5], { seed: 1 }).dtype; // "int32"
 * ```
 */
export function randint<D extends DType = "int32">(low: number, high: number, shape: Shape, opts?: RandomOptions<D>): Tensor<D> {
  const s = checkShape(shape, "randint");
  const dt = opts?.dtype ?? "int32";
  const g = pickGenerator(opts);
  const data = allocTyped(dt, numel(s));
  for (let i = 0; i < data.length; i++) data[i] = g.nextInt(low, high);
  return fromStorage((opts?.backend ?? getBackend()).upload(data, dt), s, dt) as Tensor<D>;
}
