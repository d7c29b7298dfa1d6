// BitLinear: a drop-in for Linear whose weights are ternary (AbsMean) and
// whose inputs are int8 (AbsMax). Training runs float math on fake-quantized
// values through straight-through estimators; `freeze()` packs the weights
// and switches to the integer kernel (int8 x ternary, int32 sums, one float
// rescale per output).
//
// Shapes: x [..., in] -> y [..., out]; weight [out, in]; bias [out].
import { Module, rmsNorm } from "@bitnet-quantize/autograd/nn";
import { Var, noGrad, param } from "@bitnet-quantize/autograd";
import { type Backend, type Tensor, Brand, Generator, add, fmtShape, keep, mul, numel, rand, sub, tensor, zeros } from "@bitnet-quantize/tensor";
import { type PackedTernary, packTernary, ternaryMatmul, ternaryMatmulMany, ternaryMatmulManyInto, ternaryMatmulQ8KGgml, unpackTernary, wordsPerRow } from "@bitnet-quantize/tensor/quant";
import { type ActivationMode, type KernelOperands, kernelActivations, kernelActivationsFromRows } from "./activation-mode.js";
import { BitNetConfig } from "./config.js";
import { BitNetError } from "./errors.js";
import { roundToFloat16 } from "./model/float16.js";
import { Q8_K_BLOCK } from "./quantize-q8k.js";
import { rmsNormRows, rmsNormTensor } from "./rms-norm.js";
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
  /**
   * `"uniform"` (default): PyTorch's Linear initialisation. `"empty"`: no
   * latent weight storage (a zero view that takes no memory), for layers that
   * are loaded with {@link BitLinear.loadPacked} (inference only).
   */
  readonly init?: "uniform" | "empty";
}

/**
 * Packed ternary weights as a loader provides them: codes `[out, in]` packed
 * 16 per uint32, scales `[out, G]` (G = ceil(in / groupColumns)).
 *
 * @example
 * ```ts
 * const w: PackedWeights = { packed: packTernary(codes), scales: tensor([[0.5], [0.5]]), groupColumns: 4 };
 * ```
 */
export interface PackedWeights {
  readonly packed: PackedTernary;
  readonly scales: Tensor;
  readonly groupColumns: number;
  /**
   * How llama.cpp splits the scales (a GGUF loader knows it): used only by
   * `"ggml"` arithmetic ({@link BitLinear.projectGgml}). Absent: derived as
   * {@link BitLinear.ggmlScales} says.
   */
  readonly ggml?: GgmlWeightScales;
}

/**
 * A projection's weight scales as llama.cpp applies them to a TQ2_0 tensor:
 * each block's d inside the dot product, then a per-tensor scale (a GGUF
 * `<name>.scale` tensor) multiplied into the result as one float32 product.
 *
 * @example
 * ```ts
 * const s: GgmlWeightScales = { blockD: new Float32Array(8 * 2).fill(1), tensorScale: 0.25 }; // [8, 512] weights
 * ```
 */
export interface GgmlWeightScales {
  /** `[out, in/256]`: each TQ2_0 block's d (fp16 in the file) as float32; an all-zero block's is 0. */
  readonly blockD: Float32Array;
  /** The per-tensor scale multiplied in after the dot (1: none). */
  readonly tensorScale: number;
}

/** What `freeze()` keeps: packed codes and the scales the kernel needs, on one backend. */
interface Frozen {
  readonly packed: PackedTernary;
  /** `[out, G]` weight scales. */
  readonly wScale: Tensor;
  /** Columns per scale group. */
  readonly groupColumns: number;
  /** The codes and scales as tensors; computed on first use when the layer was loaded packed. */
  quantized: TernaryWeights | null;
  /** The bias on the same backend, or null. */
  readonly bias: Tensor | null;
  /** `[out, in/256]` weight scales for "q8_K" activations, made on first use. */
  blockScale: Tensor | null;
  /** llama.cpp's split of the scales ("ggml" arithmetic): from the loader, or derived on first use. */
  ggml: GgmlWeightScales | null;
  /** The packed words on the host ("ggml" arithmetic), read on first use. */
  hostWords: Uint32Array | null;
}

/** The frozen weights copied to another backend (synchronous upload from a readable one). */
function frozenOn(f: Frozen, backend: Backend): Frozen {
  return keepFrozen({
    packed: { words: f.packed.words.to(backend), shape: f.packed.shape },
    wScale: f.wScale.to(backend),
    groupColumns: f.groupColumns,
    quantized: f.quantized,
    bias: f.bias === null ? null : f.bias.to(backend),
    blockScale: null,
    ggml: f.ggml,
    hostWords: null,
  });
}

/** Exempts the frozen tensors the layer caches from `tidy` scopes (a forward in a scope must not free them). */
function keepFrozen(f: Frozen): Frozen {
  for (const t of [f.packed.words, f.wScale, f.quantized?.codes, f.quantized?.scales, f.blockScale]) if (t !== undefined && t !== null) keep(t);
  return f;
}

/**
 * A projection input prepared once ({@link BitLinear.prepare}): the kernel
 * operands `[M, in]` of the activations for `mode`, the input's leading shape
 * (the output is `[...lead, out]`), and the quantizer settings they were made
 * with, which a layer checks before it uses them.
 *
 * @example
 * ```ts
 * const input: ProjectionInput = new BitLinear(16, 8).freeze().prepare(randn([3, 16]), "int8");
 * input.lead; // [3]
 * ```
 */
export interface ProjectionInput {
  readonly operands: KernelOperands;
  readonly mode: ActivationMode;
  readonly lead: readonly number[];
  readonly inFeatures: number;
  /** The input norm and quantizer settings (see `quantizerKey`): layers share an input only when theirs are equal. */
  readonly quantizer: string;
}

/** The config fields a prepared input depends on, as one comparable string. */
function quantizerKey(cfg: BitNetConfig): string {
  return `useRmsNorm=${cfg.useRmsNorm} eps=${cfg.eps} bits=${cfg.activationBits} perToken=${cfg.perToken} rounding=${cfg.rounding}`;
}

function isProjectionInput(x: Tensor | ProjectionInput): x is ProjectionInput {
  return "operands" in x && "quantizer" in x;
}

/** Parameter-free RMSNorm over the last axis, as BitNet applies inside BitLinear: x / sqrt(mean(x²) + eps) (autograd's rmsNorm). */
function rmsNormVar(x: Var, eps: number): Var {
  return rmsNorm(x, x.shape.slice(-1), { eps });
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
  /** False when the layer holds no latent weights (loaded packed): it cannot unfreeze. */
  #latent = true;
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
    if (opts.init === "empty") {
      // a stride-0 view of one zero: the parameter exists (names, shapes) but takes no memory
      this.weight = param(zeros([1, 1]).expand([outFeatures, inFeatures]));
      this.bias = opts.bias === false ? null : param(zeros([outFeatures]));
      this.#latent = false;
      return;
    }
    const g = new Generator(opts.seed ?? 0);
    const bound = 1 / Math.sqrt(inFeatures);
    const uniform = (shape: number[]): Tensor => sub(mul(rand(shape, { generator: g }), 2 * bound), bound);
    this.weight = param(uniform([outFeatures, inFeatures]));
    this.bias = opts.bias === false ? null : param(uniform([outFeatures]));
  }

  /**
   * A frozen layer straight from packed codes and scales (what a GGUF loader
   * reads), without latent float weights: 2 bits per weight plus the scales.
   * It runs inference only; {@link unfreeze} throws.
   *
   * @example
   * ```ts
   * const layer = BitLinear.fromPacked({ packed: packTernary(codes), scales: tensor([[0.5]]).expand([8, 1]), groupColumns: 16 });
   * layer.isFrozen; // true
   * ```
   */
  static fromPacked(w: PackedWeights, config: BitNetConfig = BitNetConfig.default()): BitLinear {
    if (w.packed.shape.length !== 2) throw new BitNetError(`BitLinear.fromPacked: packed weights must be 2-D [out, in], got [${w.packed.shape.join(",")}]`);
    const [out, inF] = w.packed.shape as [number, number];
    return new BitLinear(inF, out, { bias: false, config, init: "empty" }).loadPacked(w);
  }

  /**
   * Replaces the weights by packed codes `[out, in]` and scales `[out, G]` and
   * freezes the layer on them (no latent weights are kept; bias unchanged).
   *
   * @example
   * ```ts
   * new BitLinear(16, 8, { bias: false, init: "empty" }).loadPacked({ packed, scales, groupColumns: 16 }).isFrozen; // true
   * ```
   */
  loadPacked(w: PackedWeights): this {
    const [out, inF] = w.packed.shape as [number, number];
    if (w.packed.shape.length !== 2 || out !== this.outFeatures || inF !== this.inFeatures) {
      throw new BitNetError(`BitLinear.loadPacked: packed weights [${w.packed.shape.join(",")}] do not fit a ${this.inFeatures} -> ${this.outFeatures} layer`);
    }
    const gc = Math.min(w.groupColumns, inF);
    if (!Number.isInteger(gc) || gc <= 0) throw new BitNetError(`BitLinear.loadPacked: groupColumns must be a positive integer, got ${w.groupColumns}`);
    const G = Math.ceil(inF / gc);
    if (w.scales.size !== out * G) throw new BitNetError(`BitLinear.loadPacked: scales [${w.scales.shape.join(",")}] must hold [${out}, ${G}] (a scale per ${gc} columns)`);
    const wScale = w.scales.cast("float32").reshape([out, G]).contiguous();
    this.weight = param(zeros([1, 1], "float32", w.packed.words.backend).expand([out, inF]));
    this.#latent = false;
    if (w.ggml !== undefined && (inF % Q8_K_BLOCK !== 0 || w.ggml.blockD.length !== out * (inF / Q8_K_BLOCK))) {
      throw new BitNetError(`BitLinear.loadPacked: ggml.blockD has ${w.ggml.blockD.length} values; a ${inF} -> ${out} layer needs [${out}, ${inF / Q8_K_BLOCK}] (one per 256-block)`);
    }
    this.#frozen = keepFrozen({ packed: w.packed, wScale, groupColumns: gc, quantized: null, bias: this.bias === null ? null : this.bias.value, blockScale: null, ggml: w.ggml ?? null, hostWords: null });
    this.#frozenCopies.clear();
    return this;
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
   * False for a layer that holds only packed weights (made with `init: "empty"`
   * and {@link loadPacked}, as `importGguf` does without `{ trainable: true }`):
   * its `weight` is then a zero placeholder, not trained values.
   *
   * @example
   * ```ts
   * new BitLinear(4, 2).hasLatentWeights; // true
   * ```
   */
  get hasLatentWeights(): boolean {
    return this.#latent;
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
    if (!this.#latent) throw new BitNetError("BitLinear.forward: the layer has no weights (init: \"empty\"); load them with loadPacked()");
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

  #frozenForward(x: Tensor, f: Frozen, mode: ActivationMode = "int8"): Tensor {
    return this.#run(this.prepare(x, mode), f);
  }

  /** The packed kernel on prepared operands, with the weight scales the mode needs, then the bias. */
  #run(input: ProjectionInput, f: Frozen): Tensor {
    const a = input.operands;
    const [wScale, groupSize] = this.#kernelScales(input.mode, f);
    return this.#finish(ternaryMatmul(a.x, f.packed, a.xScale, wScale, groupSize), input, f);
  }

  /** The weight scales and their group size for an input of `mode`: per 256-block for Q8_K activations, else the layer's own. */
  #kernelScales(mode: ActivationMode, f: Frozen): [Tensor, number] {
    return mode === "q8_K" ? [this.#blockScale(f), Q8_K_BLOCK] : [f.wScale, f.groupColumns];
  }

  /** The kernel's `[M, out]` result shaped as the input's lead dims, plus the bias. */
  #finish(y: Tensor, input: ProjectionInput, f: Frozen): Tensor {
    const shaped = y.reshape([...input.lead, this.outFeatures]);
    return f.bias === null ? shaped : add(shaped, f.bias);
  }

  /** This layer's frozen weights; throws unless the layer is frozen and `x` was prepared for its input size and quantizer settings. */
  #checkInput(fn: string, x: ProjectionInput): Frozen {
    const f = this.#frozen;
    if (f === null) throw new BitNetError(`BitLinear.${fn}: the layer is not frozen; call freeze() first`);
    if (x.inFeatures !== this.inFeatures) throw new BitNetError(`BitLinear.${fn}: the prepared input has ${x.inFeatures} features; this layer takes ${this.inFeatures}`);
    if (x.quantizer !== quantizerKey(this.config)) {
      throw new BitNetError(`BitLinear.${fn}: the prepared input was quantized with other settings (${x.quantizer}) than this layer's (${quantizerKey(this.config)})`);
    }
    return f;
  }

  /** The weight scales per 256-block (Q8_K activations divide each block by its own scale). */
  #blockScale(f: Frozen): Tensor {
    if (f.blockScale !== null) return f.blockScale;
    const K = this.inFeatures;
    const gc = f.groupColumns;
    checkQ8KBlocks(K, gc, '"q8_K" activations need');
    const B = K / Q8_K_BLOCK;
    const G = Math.ceil(K / gc);
    // block b lies in scale group floor(256·b / gc): repeat each group's scale over its blocks
    // made during a forward that may run in a tidy scope: kept, like the rest of the frozen weights
    f.blockScale = keep((G === 1 ? f.wScale.expand([this.outFeatures, B]) : f.wScale.reshape([this.outFeatures, G, 1]).expand([this.outFeatures, G, gc / Q8_K_BLOCK]).reshape([this.outFeatures, B])).contiguous());
    return f.blockScale;
  }

  /**
   * The frozen inference forward on tensors: `x [..., in] -> [..., out]` on
   * the backend `x` lives on (the packed weights are copied there once), with
   * the activations treated as `mode` says (default `"int8"`, as trained). The
   * one path every inference projection takes. Given a {@link ProjectionInput}
   * (from {@link prepare}, possibly another layer's), the activations are not
   * quantized again: layers that read the same input (q, k, v; gate, up)
   * share one quantization; `mode` is then the input's.
   *
   * @example
   * ```ts
   * const layer = new BitLinear(512, 4, { seed: 1 }).freeze();
   * layer.project(randn([1, 512]), "q8_K").shape; // [1, 4]
   * layer.project(layer.prepare(randn([1, 512]), "q8_K")).shape; // [1, 4]
   * ```
   */
  project(x: Tensor | ProjectionInput, mode: ActivationMode = "int8"): Tensor {
    if (this.#frozen === null) throw new BitNetError("BitLinear.project: the layer is not frozen; call freeze() first");
    if (!isProjectionInput(x)) {
      if (x.shape[x.ndim - 1] !== this.inFeatures) {
        throw new BitNetError(`BitLinear.project: input [${x.shape.join(",")}] must end in inFeatures = ${this.inFeatures}`);
      }
      return this.#frozenForward(x, this.#frozenFor(x.backend), mode);
    }
    this.#checkInput("project", x);
    return this.#run(x, this.#frozenFor(x.operands.x.backend));
  }

  /**
   * {@link project} in llama.cpp's arithmetic, bit for bit (`"ggml"`
   * arithmetic of the inference pass): the prepared `"q8_K"` input times
   * the packed weights as `ggml_vec_dot_tq2_0_q8_K` computes it
   * (`ternaryMatmulQ8KGgml`, with the Q8_K blocks' d = 1/iscale and the
   * weights' block d, see {@link ggmlScales}), then the per-tensor scale as
   * one float32 product, then the bias. Needs a `"q8_K"` input on a backend
   * with synchronous reads (CPU).
   *
   * @example
   * ```ts
   * const layer = new BitLinear(512, 4, { seed: 1 }).freeze();
   * const input = layer.prepare(randn([1, 512]), "q8_K");
   * layer.projectGgml(input).shape; // [1, 4], llama.cpp's bits for this layer exported as TQ2_0
   * ```
   */
  projectGgml(x: ProjectionInput): Tensor {
    const f = this.#checkInput("projectGgml", x);
    if (x.mode !== "q8_K") throw new BitNetError(`BitLinear.projectGgml: "ggml" arithmetic needs a "q8_K" input, got ${JSON.stringify(x.mode)}`);
    const backend = x.operands.x.backend;
    if (backend.readSync === undefined) throw new BitNetError(`BitLinear.projectGgml: "ggml" arithmetic runs on the host; backend ${backend.name} has no synchronous reads`);
    const { blockD, tensorScale } = this.ggmlScales();
    f.hostWords ??= f.packed.words.dataSync();
    const K = this.inFeatures;
    const N = this.outFeatures;
    const q = x.operands.x.dataSync() as Int8Array;
    const iscale = x.operands.xScale.cast("float32").dataSync();
    const M = q.length / K;
    // a Q8_K block's d is the float32 1/iscale (llama.cpp stores 0 for an all-zero block, whose lanes are all 0 either way)
    const xd = Float32Array.from(iscale, (v) => 1 / v);
    const out = new Float32Array(M * N);
    ternaryMatmulQ8KGgml(q, xd, f.hostWords, blockD, M, N, K, out);
    if (tensorScale !== 1) for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i] * tensorScale);
    const y = tensor(out, [...x.lead, N], "float32", backend);
    return f.bias === null ? y : add(y, f.bias.backend === backend ? f.bias : f.bias.to(backend));
  }

  /**
   * The weight scales split as llama.cpp applies them (what
   * {@link projectGgml} uses): the loader's split when the layer was loaded
   * from a TQ2_0 GGUF tensor; otherwise the split of the TQ2_0 file
   * `exportGguf` writes by default: with one scale s per tensor, block d 1
   * (0 for an all-zero block) and s as the per-tensor scale; with several,
   * each block's scale rounded to fp16 as its d (0 for an all-zero block).
   * Needs row lengths that are multiples of 256 and a scale per whole
   * 256-blocks.
   *
   * @example
   * ```ts
   * const s = new BitLinear(256, 2, { seed: 1 }).freeze().ggmlScales();
 * Array.from(s.blockD); // [1, 1] (one scale per tensor: block d 1, the scale after the dot)
   * ```
   */
  ggmlScales(): GgmlWeightScales {
    if (this.#frozen === null) throw new BitNetError("BitLinear.ggmlScales: the layer is not frozen; call freeze() first");
    const f = this.#frozen;
    if (f.ggml !== null) return f.ggml;
    const K = this.inFeatures;
    const N = this.outFeatures;
    const gc = f.groupColumns;
    checkQ8KBlocks(K, gc, '"ggml" arithmetic needs');
    const B = K / Q8_K_BLOCK;
    const G = Math.ceil(K / gc);
    const s = f.wScale.dataSync() as Float32Array;
    f.hostWords ??= f.packed.words.dataSync();
    const words = f.hostWords;
    const wpr = wordsPerRow(K);
    let perTensor = true;
    for (let i = 1; i < s.length; i++) if (s[i] !== s[0]) perTensor = false;
    const blockD = new Float32Array(N * B);
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < B; b++) {
        let nonZero = false;
        for (let w = n * wpr + 16 * b; w < n * wpr + 16 * b + 16 && !nonZero; w++) nonZero = words[w] !== 0x55555555; // 16 codes 1: zeros
        if (nonZero) blockD[n * B + b] = perTensor ? 1 : roundToFloat16(s[n * G + Math.floor((b * Q8_K_BLOCK) / gc)]);
      }
    }
    f.ggml = { blockD, tensorScale: perTensor ? s[0] : 1 };
    return f.ggml;
  }

  /**
   * The kernel operands of input `x [..., in]` for `mode`, made once (this
   * layer's input norm when its config asks for one, then the activation
   * quantizer, on x's backend), to pass to {@link project} of this layer and
   * of every other layer with the same quantizer settings that reads the
   * same input.
   *
   * @example
   * ```ts
   * const x = randn([2, 512], { seed: 1 });
   * const [a, b] = [new BitLinear(512, 4, { seed: 1 }).freeze(), new BitLinear(512, 8, { seed: 2 }).freeze()];
   * const input = a.prepare(x, "int8");
   * b.project(input).shape; // [2, 8]
   * ```
   */
  prepare(x: Tensor, mode: ActivationMode = "int8"): ProjectionInput {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new BitNetError(`BitLinear.prepare: input [${x.shape.join(",")}] must end in inFeatures = ${this.inFeatures}`);
    }
    const cfg = this.config;
    const xn = cfg.useRmsNorm ? rmsNormTensor(x, cfg.eps) : x;
    const lead = x.shape.slice(0, -1);
    const operands = kernelActivations(xn.reshape([numel(lead), this.inFeatures]), mode, cfg);
    return { operands, mode, lead, inFeatures: this.inFeatures, quantizer: quantizerKey(cfg) };
  }

  /**
   * {@link prepare} for activations on the host: `rows` rows of `in` float32
   * values, normed (when the config asks) and quantized here; only the
   * kernel operands are uploaded to `backend`. Bit-identical to `prepare` of
   * the same values on a CPU backend.
   *
   * @example
   * ```ts
   * const layer = new BitLinear(4, 2, { seed: 1 }).freeze();
   * const input = layer.prepareRows(new Float32Array([0.5, -1, 0.25, 0]), 1, "int8", getBackend());
   * input.operands.x.toArray(); // [[64, -127, 32, 0]]
   * layer.project(input).shape; // [1, 2]
   * ```
   */
  prepareRows(data: Float32Array, rows: number, mode: ActivationMode, backend: Backend): ProjectionInput {
    const K = this.inFeatures;
    if (!Number.isInteger(rows) || rows < 0 || data.length !== rows * K) throw new BitNetError(`BitLinear.prepareRows: ${data.length} values are not ${rows} rows of inFeatures = ${K}`);
    const cfg = this.config;
    const xn = cfg.useRmsNorm ? rmsNormRows(data, K, cfg.eps) : data;
    return { operands: kernelActivationsFromRows(xn, rows, K, mode, cfg, backend), mode, lead: [rows], inFeatures: K, quantizer: quantizerKey(cfg) };
  }

  /**
   * Projects one input through several frozen layers of the same input size
   * and quantizer settings (q, k and v; gate and up), quantizing it once:
   * `x` is a tensor (prepared here with `mode`) or a {@link ProjectionInput}
   * (then `mode` is the input's). Layers of one weight-scale grouping run
   * as one `ternaryMatmulMany` (on the CPU backend: the activations laid
   * out once, and the kernel threads meeting once for all of them); each
   * result equals that layer's {@link project}, bit for bit.
   *
   * @example
   * ```ts
   * const [q, k] = BitLinear.projectMany([new BitLinear(16, 8).freeze(), new BitLinear(16, 4).freeze()], randn([1, 16]), "int8");
   * k.shape; // [1, 4]
   * ```
   */
  static projectMany(layers: readonly BitLinear[], x: Tensor | ProjectionInput, mode: ActivationMode = "int8"): Tensor[] {
    const first = layers[0];
    if (first === undefined) return [];
    for (const l of layers) if (l.#frozen === null) throw new BitNetError("BitLinear.projectMany: a layer is not frozen; call freeze() first");
    const input = isProjectionInput(x) ? x : first.prepare(x, mode);
    const ys: Tensor[] = [];
    for (const { groupSize, members } of BitLinear.#kernelGroups("projectMany", layers, input)) {
      const a = input.operands;
      const outs = ternaryMatmulMany(a.x, members.map((m) => m.f.packed), a.xScale, members.map((m) => m.scale), groupSize);
      members.forEach((m, j) => (ys[m.i] = layers[m.i].#finish(outs[j], input, m.f)));
    }
    return ys;
  }

  /**
   * The layers' frozen weights on the input's backend with the weight scales
   * an input of its mode needs, grouped by scale group size: one kernel call
   * per group (a model's layers all share one). Checks each layer against
   * the input first.
   */
  static #kernelGroups(fn: string, layers: readonly BitLinear[], input: ProjectionInput): { groupSize: number; members: { i: number; f: Frozen; scale: Tensor }[] }[] {
    for (const l of layers) l.#checkInput(fn, input);
    const groups = new Map<number, { i: number; f: Frozen; scale: Tensor }[]>();
    layers.forEach((l, i) => {
      const f = l.#frozenFor(input.operands.x.backend);
      const [scale, groupSize] = l.#kernelScales(input.mode, f);
      const members = groups.get(groupSize) ?? [];
      members.push({ i, f, scale });
      groups.set(groupSize, members);
    });
    return [...groups].map(([groupSize, members]) => ({ groupSize, members }));
  }

  /**
   * {@link projectMany} into caller arrays, for inference loops on a host
   * backend (CPU) that reuse their buffers: layer i's output for the
   * prepared input goes to `outs[i]` (`rows·out` float32 values, row-major),
   * bit-identical to `projectMany`'s result i, with no tensor made for it.
   * Needs a backend with synchronous reads.
   *
   * @example
   * ```ts
   * const [a, b] = [new BitLinear(16, 8).freeze(), new BitLinear(16, 4).freeze()];
   * const input = a.prepareRows(new Float32Array(16).fill(0.5), 1, "int8", getBackend());
   * const [ya, yb] = [new Float32Array(8), new Float32Array(4)];
   * BitLinear.projectManyInto([a, b], input, [ya, yb]); // ya, yb hold the two projections
   * ```
   */
  static projectManyInto(layers: readonly BitLinear[], input: ProjectionInput, outs: readonly Float32Array[]): void {
    if (outs.length !== layers.length) throw new BitNetError(`BitLinear.projectManyInto: ${layers.length} layers but ${outs.length} outputs`);
    const a = input.operands;
    const backend = a.x.backend;
    if (backend.readSync === undefined) throw new BitNetError(`BitLinear.projectManyInto: backend ${backend.name} has no synchronous reads; use projectMany`);
    const M = numel(input.lead);
    layers.forEach((l, i) => {
      const o = outs[i];
      if (!(o instanceof Float32Array) || o.length !== M * l.outFeatures) throw new BitNetError(`BitLinear.projectManyInto: output ${i} must be a Float32Array of ${M} x ${l.outFeatures} values`);
    });
    for (const { groupSize, members } of BitLinear.#kernelGroups("projectManyInto", layers, input)) {
      ternaryMatmulManyInto(a.x, members.map((m) => m.f.packed), a.xScale, members.map((m) => m.scale), groupSize, members.map((m) => outs[m.i]));
      for (const { i, f } of members) {
        if (f.bias === null) continue;
        // float32 adds, as add(y, bias) rounds them
        const bias = f.bias.cast("float32").dataSync();
        const out = outs[i];
        const n = layers[i].outFeatures;
        for (let m = 0; m < M; m++) for (let j = 0; j < n; j++) out[m * n + j] += bias[j];
      }
    }
  }

  /**
   * A frozen copy of this layer's current weights for inference: a layer that
   * is frozen already is returned itself; otherwise a new frozen layer (no
   * latent weights) is made and the original keeps training.
   *
   * @example
   * ```ts
   * const snap = layer.frozenSnapshot(); // layer keeps training; snap.project(x) is fixed
   * ```
   */
  frozenSnapshot(): BitLinear {
    if (this.#frozen !== null) return this;
    const copy = new BitLinear(this.inFeatures, this.outFeatures, { bias: this.bias !== null, config: this.config, init: "empty" });
    if (this.bias !== null) copy.bias = param(this.bias.value);
    copy.weight = this.weight;
    copy.#latent = true;
    copy.freeze();
    copy.weight = param(zeros([1, 1], "float32", this.weight.value.backend).expand([this.outFeatures, this.inFeatures]));
    copy.#latent = false;
    return copy;
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
    if (!this.#latent) {
      if (this.#frozen === null) throw new BitNetError("BitLinear.freeze: the layer has no weights (init: \"empty\"); load them with loadPacked()");
      return this; // loaded packed: already frozen on its only weights
    }
    const q = this.quantizedWeight();
    const G = q.scales.shape[1];
    const wScale = q.scales.expand([this.outFeatures, G]).cast("float32").contiguous();
    const bias = this.bias === null ? null : this.bias.value;
    this.#frozen = keepFrozen({ packed: packTernary(q.codes), wScale, groupColumns: Math.min(q.groupColumns, this.inFeatures), quantized: q, bias, blockScale: null, ggml: null, hostWords: null });
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
    if (!this.#latent) {
      throw new BitNetError("BitLinear.unfreeze: the layer was loaded from packed weights without latent float weights; load it with { trainable: true } to train");
    }
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
    const f = this.#frozen;
    if (f !== null) {
      if (f.quantized === null) {
        const G = f.wScale.shape[1];
        f.quantized = { codes: keep(unpackTernary(f.packed)), scales: f.wScale, groupColumns: f.groupColumns, groupSize: G === 1 ? "row" : f.groupColumns };
      }
      return f.quantized;
    }
    if (!this.#latent) throw new BitNetError("BitLinear.quantizedWeight: the layer has no weights (init: \"empty\"); load them with loadPacked()");
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

/** Throws unless rows of `K` columns with a weight scale per `groupColumns` split into whole 256-blocks, each under one scale (`needs`: what asks, for the message). */
function checkQ8KBlocks(K: number, groupColumns: number, needs: string): void {
  if (K % Q8_K_BLOCK !== 0) throw new BitNetError(`BitLinear: ${needs} row lengths that are multiples of ${Q8_K_BLOCK}; this layer has ${K}`);
  if (groupColumns < K && groupColumns % Q8_K_BLOCK !== 0) throw new BitNetError(`BitLinear: ${needs} one weight scale per 256-block; this layer has a scale per ${groupColumns} columns`);
}
