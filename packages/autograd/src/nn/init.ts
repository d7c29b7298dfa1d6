// Weight initializers with PyTorch's fan and gain computations. Each returns
// a new tensor (tensors are immutable; PyTorch's versions fill in place).
// Random draws use the tensor package's seeded Generator.
import { type Generator, type Shape, ArgumentError, rand, randn } from "@bitnet-quantize/tensor";
import type { Tensor } from "@bitnet-quantize/tensor";

/** Where the random numbers come from, and the dtype. */
export interface InitOptions {
  /** Draw from this generator (advanced by the call). */
  readonly generator?: Generator;
  /** Or a seed for a fresh generator; with neither, the default generator (see `manualSeed`). */
  readonly seed?: number;
  /** float32 (default) or float64. */
  readonly dtype?: "float32" | "float64";
}

/** The nonlinearities {@link calculateGain} knows (PyTorch's names). */
export type Nonlinearity = "linear" | "conv1d" | "conv2d" | "conv3d" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

/** `fan_in` (inputs per output) or `fan_out`. */
export type FanMode = "fanIn" | "fanOut";

function randomOpts(o: InitOptions): { dtype: "float32" | "float64"; generator?: Generator; seed?: number } {
  return {
    dtype: o.dtype ?? "float32",
    ...(o.generator === undefined ? {} : { generator: o.generator }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
  };
}

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`).
 *
 * @example
 * ```ts
 * calculateGain("relu"); // 1.4142135623730951
 * calculateGain("leaky_relu", Math.sqrt(5)); // 0.5773502691896258
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "conv1d":
    case "conv2d":
    case "conv3d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
  }
}

/**
 * `fanIn` and `fanOut` of a weight shape `[out, in, ...receptive field]`, as PyTorch computes them.
 *
 * @example
 * ```ts
 * computeFans([256, 784]); // { fanIn: 784, fanOut: 256 }
 * computeFans([8, 3, 5, 5]); // { fanIn: 75, fanOut: 200 }
 * ```
 */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length < 2) throw new ArgumentError(`computeFans: needs at least 2 dimensions, got [${shape.join(",")}]`);
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/**
 * Samples of U(low, high).
 *
 * @example
 * ```ts
 * uniform([2, 2], { low: -1, high: 1, seed: 0 }).shape; // [2, 2]
 * ```
 */
export function uniform(shape: Shape, opts: InitOptions & { readonly low?: number; readonly high?: number } = {}): Tensor {
  const low = opts.low ?? 0;
  const high = opts.high ?? 1;
  return rand(shape, randomOpts(opts)).mul(high - low).add(low);
}

/**
 * Samples of N(mean, std²).
 *
 * @example
 * ```ts
 * normal([1000], { std: 0.02, seed: 0 }).var().item(); // about 0.0004
 * ```
 */
export function normal(shape: Shape, opts: InitOptions & { readonly mean?: number; readonly std?: number } = {}): Tensor {
  const t = randn(shape, randomOpts(opts));
  return t.mul(opts.std ?? 1).add(opts.mean ?? 0);
}

/** Options of the Kaiming initializers (PyTorch's defaults: a = 0, fan_in, leaky_relu). */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the leaky ReLU after this layer (default 0). */
  readonly a?: number;
  /** Preserve the variance of the forward (`fanIn`, default) or backward pass. */
  readonly mode?: FanMode;
  /** Default `"leaky_relu"`. */
  readonly nonlinearity?: Nonlinearity;
}

function kaimingStd(shape: Shape, opts: KaimingOptions): number {
  const fans = computeFans(shape);
  const fan = (opts.mode ?? "fanIn") === "fanIn" ? fans.fanIn : fans.fanOut;
  return calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0) / Math.sqrt(fan);
}

/**
 * He uniform: U(-b, b) with `b = gain·√(3 / fan)`. `nn.Linear` uses `a = √5`,
 * which gives `b = 1/√fanIn`.
 *
 * @example
 * ```ts
 * kaimingUniform([256, 784], { a: Math.sqrt(5), seed: 1 }).abs().max().item() <= 1 / 28; // true
 * ```
 */
export function kaimingUniform(shape: Shape, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(shape, opts);
  return uniform(shape, { ...opts, low: -bound, high: bound });
}

/**
 * He normal: N(0, std²) with `std = gain / √fan`.
 *
 * @example
 * ```ts
 * kaimingNormal([64, 100], { nonlinearity: "relu", seed: 1 }).var().item(); // about 0.02
 * ```
 */
export function kaimingNormal(shape: Shape, opts: KaimingOptions = {}): Tensor {
  return normal(shape, { ...opts, std: kaimingStd(shape, opts) });
}

/** Options of the Xavier initializers. */
export interface XavierOptions extends InitOptions {
  /** Scale (default 1). */
  readonly gain?: number;
}

/**
 * Glorot uniform: U(-b, b) with `b = gain·√(6 / (fanIn + fanOut))`.
 *
 * @example
 * ```ts
 * xavierUniform([3, 5], { seed: 0 }).abs().max().item() <= 1; // true (b = √(6/8))
 * ```
 */
export function xavierUniform(shape: Shape, opts: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = computeFans(shape);
  const bound = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(shape, { ...opts, low: -bound, high: bound });
}

/**
 * Glorot normal: N(0, std²) with `std = gain·√(2 / (fanIn + fanOut))`.
 *
 * @example
 * ```ts
 * xavierNormal([100, 100], { seed: 0 }).var().item(); // about 0.01
 * ```
 */
export function xavierNormal(shape: Shape, opts: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = computeFans(shape);
  return normal(shape, { ...opts, std: (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)) });
}
