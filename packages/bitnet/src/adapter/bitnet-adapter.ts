// BitNetAdapter: turns the target Linear layers of any Module tree into
// BitLinear (by dotted name), optionally with LoRA on the frozen ternary base,
// and manages freezing and parameter counts. PEFT-style: the model object is
// changed in place and keeps working with its own forward.
import type { Var } from "@bitnet-quantize/autograd";
import { type AnyModule, Linear, type Module } from "@bitnet-quantize/autograd/nn";
import { BitLinear } from "../bit-linear.js";
import { BitNetError } from "../errors.js";
import { BitNetAdapterConfig } from "./adapter-config.js";
import { LoraBitLinear } from "./lora-bit-linear.js";

/**
 * Replaces every `Linear` whose dotted name matches the config's targets with
 * a `BitLinear` holding the same weight and bias; returns the replaced names.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * replaceLinearWithBitLinear(model, new BitNetAdapterConfig({ targetModules: ["0", "2"] })); // ["0", "2"]
 * ```
 */
export function replaceLinearWithBitLinear(model: AnyModule, config: BitNetAdapterConfig): string[] {
  const replaced: string[] = [];
  for (const [name, m] of model.namedModules()) {
    if (name === "" || !(m instanceof Linear) || !config.matches(name)) continue;
    const bit = BitLinear.fromWeight(m.weight.value, m.bias?.value ?? null, config.bitnet);
    model.setSubmodule(name, config.lora === null ? bit : new LoraBitLinear(bit, config.lora));
    replaced.push(name);
  }
  return replaced;
}

/**
 * A model adapted to BitNet b1.58: target `Linear` layers became `BitLinear`
 * (full quantization-aware training) or LoRA on a frozen ternary base (cheap
 * fine-tuning). Train with any optimizer over `trainableParameters()`.
 *
 * @example
 * ```ts
 * const adapter = new BitNetAdapter(model, new BitNetAdapterConfig({ lora: { rank: 8 } }));
 * adapter.replaced; // ["layers.0.self_attn.q_proj", ...]
 * const opt = new AdamW(adapter.trainableParameters(), { lr: 1e-3 });
 * ```
 */
export class BitNetAdapter<M extends Module<never, unknown> = AnyModule> {
  readonly model: M;
  readonly config: BitNetAdapterConfig;
  /** Dotted names of the replaced layers. */
  readonly replaced: readonly string[];

  /** Adapts `model` in place; throws when no layer matches (a likely typo in targetModules). */
  constructor(model: M, config: BitNetAdapterConfig = new BitNetAdapterConfig()) {
    this.model = model;
    this.config = config;
    this.replaced = replaceLinearWithBitLinear(model, config);
    if (this.replaced.length === 0) {
      const linears = model.namedModules().filter(([, m]) => m instanceof Linear).map(([n]) => n);
      throw new BitNetError(`BitNetAdapter: no Linear matches targetModules [${config.targetModules.join(", ")}]; Linear layers: [${linears.join(", ")}]`);
    }
  }

  /**
   * The adapted layers, by name.
   *
   * @example
   * ```ts
   * adapter.layers().map(([n]) => n); // the replaced names
   * ```
   */
  layers(): [string, BitLinear | LoraBitLinear][] {
    return this.replaced.map((n) => [n, this.model.getSubmodule(n) as BitLinear | LoraBitLinear]);
  }

  #bases(): BitLinear[] {
    return this.layers().map(([, l]) => (l instanceof LoraBitLinear ? l.base : l));
  }

  /** True when every adapted base is frozen (packed). */
  isFrozen(): boolean {
    return this.#bases().every((b) => b.isFrozen);
  }

  /**
   * Packs every ternary base and switches it to the integer kernel; its latent
   * weights stop requiring gradients.
   *
   * @example
   * ```ts
   * adapter.freeze().isFrozen(); // true
   * ```
   */
  freeze(): this {
    for (const b of this.#bases()) {
      b.freeze();
      for (const p of b.parameters()) p.requiresGrad = false;
    }
    return this;
  }

  /**
   * Unpacks the bases so their latent weights train again through the STE
   * (not allowed with LoRA, whose base stays frozen by design).
   *
   * @example
   * ```ts
   * adapter.unfreeze().isFrozen(); // false
   * ```
   */
  unfreeze(): this {
    if (this.config.lora !== null) throw new BitNetError("BitNetAdapter.unfreeze: a LoRA adapter keeps its ternary base frozen");
    for (const b of this.#bases()) {
      b.unfreeze();
      for (const p of b.parameters()) p.requiresGrad = true;
    }
    return this;
  }

  /**
   * Weights held by the adapted layers' ternary bases: Σ in·out (the crate's count).
   *
   * @example
   * ```ts
   * adapter.numParameters(); // 64 * 128 for one 128 -> 64 layer
   * ```
   */
  numParameters(): number {
    return this.#bases().reduce((s, b) => s + b.inFeatures * b.outFeatures, 0);
  }

  /**
   * Parameters of the whole model that require gradients (LoRA matrices only,
   * with LoRA; everything trainable otherwise).
   *
   * @example
   * ```ts
   * adapter.trainableParameters().length;
   * ```
   */
  trainableParameters(): Var[] {
    return this.model.parameters().filter((p) => p.requiresGrad);
  }

  /**
   * How many scalars train: the sum of the sizes of `trainableParameters()`.
   *
   * @example
   * ```ts
   * adapter.numTrainableParameters(); // r·(in + out) per layer with LoRA
   * ```
   */
  numTrainableParameters(): number {
    return this.trainableParameters().reduce((s, p) => s + p.value.size, 0);
  }

  /**
   * Weighted mean compression ratio of the adapted layers (float32 bytes over packed bytes).
   *
   * @example
   * ```ts
   * adapter.compressionRatio(); // about 16 with per-tensor scales
   * ```
   */
  compressionRatio(): number {
    const bases = this.#bases();
    const fp = bases.reduce((s, b) => s + 4 * b.inFeatures * b.outFeatures, 0);
    const packed = bases.reduce((s, b) => s + (4 * b.inFeatures * b.outFeatures) / b.compressionRatio(), 0);
    return fp / packed;
  }
}
