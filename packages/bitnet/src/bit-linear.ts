// BitLinear: a drop-in for Linear whose weights are ternary (AbsMean) and
// whose inputs are int8 (AbsMax). Training runs float math on fake-quantized
// values through straight-through estimators; `freeze()` packs the weights
// and switches to the integer kernel (int8 x ternary, int32 sums, one float
// rescale per output).
//
// Shapes: x [..., in] -> y [..., out]; weight [out, in]; bias [out].
import { Module, rmsNorm } from "@bitnet-quantize/autograd/nn";
import { Var, noGrad, param } from "@bitnet-quantize/autograd";
import { type Backend, type Tensor, Brand, Generator, add, fmtShape, keep, mul, numel, rand, sub } from "@bitnet-quantize/tensor";
import { type PackedTernary, packTernary, ternaryMatmul, wordsPerRow } from "@bitnet-quantize/tensor/quant";
import { BitNetConfig } from "./config.js";
import { BitNetError } from "./errors.js";
import { absMaxInt8 } from "./quantize-activations.js";
import { type TernaryWeights, absMeanTernary } from "./quantize-weights.js";
import { int8STE, ternarySTE } from "./ste.js";
import { VERSION } from "./version.js";

const BIT_LINEAR_BRAND = new Brand("@bitnet-quantize/bitnet", "BitLinear", VERSION);

/** Options of the {@link BitLinear} constructor. */
export interface BitLinearOptions {
  /** Learn an additive bias (default true, as Linear). */
  readonly bias?: boolean;
  /** Quantization settings (default `BitNetConfig.default()`). */
  readonly config?: BitNetConfig;
  /** Seed of the initial weights (default 0). */
  readonly seed?: number;
}

/** What `freeze()` keeps: packed codes and the scales the kernel needs, on one backend. */
interface Frozen {
  readonly packed: PackedTernary;
  /** `[out, G]` weight scales. */
  readonly wScale: Tensor;
  /** Columns per scale group. */
  readonly groupColumns: number;
  readonly quantized: TernaryWeights;
  /** The bias on the same backend, or null. */
  readonly bias: Tensor | null;
}

/** The frozen weights copied to another backend (synchronous upload from a readable one). */
function frozenOn(f: Frozen, backend: Backend): Frozen {
  return keepFrozen({
    packed: { words: f.packed.words.to(backend), shape: f.packed.shape },
    wScale: f.wScale.to(backend),
    groupColumns: f.groupColumns,
    quantized: f.quantized,
    bias: f.bias === null ? null : f.bias.to(backend),
  });
}

/** Exempts the frozen tensors the layer caches from `tidy` scopes (a forward in a scope must not free them). */
function keepFrozen(f: Frozen): Frozen {
  for (const t of [f.packed.words, f.wScale, f.quantized.codes, f.quantized.scales]) keep(t);
  return f;
}

/** Parameter-free RMSNorm over the last axis, as BitNet applies inside BitLinear: x / sqrt(mean(x²) + eps) (autograd's rmsNorm). */
function rmsNormVar(x: Var, eps: number): Var {
  return rmsNorm(x, x.shape.slice(-1), { eps });
}

/** The same on a plain tensor (frozen inference): the one rmsNorm, run without recording a graph. */
function rmsNormTensor(x: Tensor, eps: number): Tensor {
  return noGrad(() => rmsNorm(new Var(x), x.shape.slice(-1), { eps }).value);
}

/**
 * A linear layer with ternary weights and int8 activations (BitNet b1.58).
 * `y = (Σ t·q) · s_w / s_x + bias`, where t are the AbsMean ternary weight
 * codes with scale s_w and q the AbsMax int8 activations with multiplier s_x.
 *
 * In training (and before `freeze()`), forward fake-quantizes activations and
 * weights through straight-through estimators, so gradients reach the float
 * ("latent") weights. `freeze()` packs the weights 16 per uint32 and runs the
 * integer kernel; both forwards agree to float rounding. A frozen layer given
 * input on another backend (WebGPU) copies its packed weights there once and
 * runs that backend's ternary kernel; weights that live on WebGPU are
 * quantized and packed there. (`sparsity()` reads codes back synchronously:
 * CPU only.)
 *
 * @example
 * ```ts
 * const layer = new BitLinear(512, 256, { seed: 0 });
 * const y = layer.forward(new Var(randn([4, 512], { seed: 1 }))); // y.shape: [4, 256]
 * layer.freeze();
 * layer.forward(new Var(randn([4, 512], { seed: 1 }))); // same values, integer kernel
 * layer.compressionRatio(); // 15.99...: 32 bits per weight vs 2 bits + one scale
 * ```
 */
export class BitLinear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly config: BitNetConfig;
  /** Latent float weights `[out, in]` (trained; quantized on the fly). */
  weight: Var;
  /** Bias `[out]`, or null. */
  bias: Var | null;
  #frozen: Frozen | null = null;
  /** The frozen weights per backend they were moved to (for inputs on another backend, e.g. WebGPU). */
  #frozenCopies = new Map<Backend, Frozen>();

  /** A layer with PyTorch's Linear initialisation: U(-1/√in, 1/√in) for weight and bias. */
  constructor(inFeatures: number, outFeatures: number, opts: BitLinearOptions = {}) {
    super();
    for (const [n, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new BitNetError(`BitLinear: ${n} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.config = opts.config ?? BitNetConfig.default();
    const g = new Generator(opts.seed ?? 0);
    const bound = 1 / Math.sqrt(inFeatures);
    const uniform = (shape: number[]): Tensor => sub(mul(rand(shape, { generator: g }), 2 * bound), bound);
    this.weight = param(uniform([outFeatures, inFeatures]));
    this.bias = opts.bias === false ? null : param(uniform([outFeatures]));
  }

  /**
   * A layer with the given weight `[out, in]` and bias `[out]` (copied into parameters).
   *
   * @example
   * ```ts
   * BitLinear.fromWeight(randn([8, 16]), null, BitNetConfig.default()).outFeatures; // 8
   * ```
   */
  static fromWeight(weight: Tensor, bias: Tensor | null, config: BitNetConfig = BitNetConfig.default()): BitLinear {
    if (weight.ndim !== 2) throw new BitNetError(`BitLinear.fromWeight: weight must be 2-D [out, in], got ${fmtShape(weight.shape)}`);
    const [out, inF] = weight.shape as [number, number];
    if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== out)) {
      throw new BitNetError(`BitLinear.fromWeight: bias must be [${out}], got ${fmtShape(bias.shape)}`);
    }
    const layer = new BitLinear(inF, out, { bias: bias !== null, config });
    layer.weight = param(weight.cast("float32").contiguous());
    layer.bias = bias === null ? null : param(bias.cast("float32").contiguous());
    return layer;
  }

  /** True after {@link freeze} (until {@link unfreeze}). */
  get isFrozen(): boolean {
    return this.#frozen !== null;
  }

  /**
   * `x [..., in] -> [..., out]`. Frozen: the integer kernel, no gradient. Otherwise,
   * with `useSte`, fake-quantized activations and weights with straight-through
   * gradients; without it, the plain float product.
   *
   * @example
   * ```ts
   * new BitLinear(3, 2).forward(new Var(ones([5, 3]))).shape; // [5, 2]
   * ```
   */
  forward(x: Var): Var {
    const last = x.shape[x.shape.length - 1];
    if (last !== this.inFeatures) {
      throw new BitNetError(`BitLinear: input ${fmtShape(x.shape)} must end in inFeatures = ${this.inFeatures}`);
    }
    if (this.#frozen !== null) return new Var(this.#frozenForward(x.value, this.#frozenFor(x.value.backend)));
    const cfg = this.config;
    const xn = cfg.useRmsNorm ? rmsNormVar(x, cfg.eps) : x;
    let y: Var;
    if (cfg.useSte) {
      const xq = int8STE(xn, { bits: cfg.activationBits, perToken: cfg.perToken, eps: cfg.eps, rounding: cfg.rounding });
      const wq = ternarySTE(this.weight, { groupSize: cfg.groupSize, eps: cfg.eps, rounding: cfg.rounding, name: "BitLinear.weight" });
      y = xq.matmul(wq.transpose());
    } else {
      y = xn.matmul(this.weight.transpose());
    }
    return this.bias === null ? y : y.add(this.bias);
  }

  /** The frozen weights on `backend`, copied there once (then cached) when the input lives elsewhere. */
  #frozenFor(backend: Backend): Frozen {
    const f = this.#frozen as Frozen;
    if (f.packed.words.backend === backend) return f;
    let copy = this.#frozenCopies.get(backend);
    if (copy === undefined) {
      copy = frozenOn(f, backend);
      this.#frozenCopies.set(backend, copy);
    }
    return copy;
  }

  #frozenForward(x: Tensor, f: Frozen): Tensor {
    const cfg = this.config;
    const xn = cfg.useRmsNorm ? rmsNormTensor(x, cfg.eps) : x;
    const lead = x.shape.slice(0, -1);
    const M = numel(lead);
    const q = absMaxInt8(xn.cast("float32"), { bits: cfg.activationBits, perToken: cfg.perToken, eps: cfg.eps, rounding: cfg.rounding });
    const xScale = q.scales.expand([...lead, 1]).reshape([M]);
    const y = ternaryMatmul(q.codes.reshape([M, this.inFeatures]), f.packed, xScale, f.wScale, f.groupColumns).reshape([...lead, this.outFeatures]);
    return f.bias === null ? y : add(y, f.bias);
  }

  /**
   * Quantizes and packs the current weights and switches forward to the
   * integer kernel. Call again after changing the weights.
   *
   * @example
   * ```ts
   * layer.freeze(); layer.isFrozen; // true
   * ```
   */
  freeze(): this {
    const q = this.quantizedWeight();
    const G = q.scales.shape[1] as number;
    const wScale = q.scales.expand([this.outFeatures, G]).cast("float32").contiguous();
    const bias = this.bias === null ? null : this.bias.value;
    this.#frozen = keepFrozen({ packed: packTernary(q.codes), wScale, groupColumns: Math.min(q.groupColumns, this.inFeatures), quantized: q, bias });
    this.#frozenCopies.clear();
    return this;
  }

  /**
   * Drops the packed weights; forward fake-quantizes again (for more training).
   *
   * @example
   * ```ts
   * layer.unfreeze().isFrozen; // false
   * ```
   */
  unfreeze(): this {
    this.#frozen = null;
    this.#frozenCopies.clear();
    return this;
  }

  /**
   * The ternary codes and scales of the current weights (the frozen ones when frozen).
   *
   * @example
   * ```ts
   * layer.quantizedWeight().codes.shape; // [out, in]
   * ```
   */
  quantizedWeight(): TernaryWeights {
    if (this.#frozen !== null) return this.#frozen.quantized;
    return noGrad(() => absMeanTernary(this.weight.value, { groupSize: this.config.groupSize, eps: this.config.eps, rounding: this.config.rounding, name: "BitLinear.weight" }));
  }

  /**
   * float32 bytes of the weight / (packed weight bytes + scale bytes); packed
   * weights take 2 bits each, rows padded to 16 weights.
   *
   * @example
   * ```ts
   * new BitLinear(4096, 1024).compressionRatio(); // 15.99... (one per-tensor scale)
   * ```
   */
  compressionRatio(): number {
    const packedBytes = this.outFeatures * wordsPerRow(this.inFeatures) * 4;
    const scaleBytes = 4 * numel(this.quantizedWeight().scales.shape);
    return (this.outFeatures * this.inFeatures * 4) / (packedBytes + scaleBytes);
  }

  /**
   * Fraction of ternary weight codes that are 0.
   *
   * @example
   * ```ts
   * layer.sparsity(); // about 0.31 for Gaussian-like weights
   * ```
   */
  sparsity(): number {
    const codes = this.quantizedWeight().codes.dataSync();
    let zeros = 0;
    for (const c of codes) if (c === 0) zeros++;
    return codes.length === 0 ? 0 : zeros / codes.length;
  }
}
BIT_LINEAR_BRAND.mark(BitLinear);
