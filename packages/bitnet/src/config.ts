// BitNetConfig: how BitLinear quantizes. Immutable, validated on creation;
// built with defaults, a builder, or from a plain object (JSON).
import { ConfigError } from "./errors.js";
import type { GroupSize } from "./quantize-weights.js";
import { type RoundingMode, isRoundingMode } from "./rounding.js";

/** The fields of a {@link BitNetConfig}. */
export interface BitNetConfigFields {
  /** Weight scale granularity: "tensor" (default), "row", or N columns. */
  readonly groupSize: GroupSize;
  /** Activation bits, 2..8 (default 8). */
  readonly activationBits: number;
  /** Activation scale per token (default true) or per tensor. */
  readonly perToken: boolean;
  /** Quantize through the straight-through estimator in training (default true); false trains the float weights unquantized. */
  readonly useSte: boolean;
  /** Apply RMSNorm to BitLinear's input (default false, so BitLinear is a drop-in Linear). */
  readonly useRmsNorm: boolean;
  /** Floor on weight and activation scales, and RMSNorm's epsilon (default 1e-5). */
  readonly eps: number;
  /** Tie rule of both quantizers (default "half-even"). */
  readonly rounding: RoundingMode;
}

const DEFAULTS: BitNetConfigFields = {
  groupSize: "tensor",
  activationBits: 8,
  perToken: true,
  useSte: true,
  useRmsNorm: false,
  eps: 1e-5,
  rounding: "half-even",
};

/**
 * The quantization settings of BitLinear layers. Every instance is valid:
 * the constructor checks each field and throws a `ConfigError` naming it.
 *
 * @example
 * ```ts
 * const cfg = BitNetConfig.builder().groupSize(128).activationBits(8).perToken(true).useSte(true).build();
 * cfg.groupSize; // 128
 * BitNetConfig.default().groupSize; // "tensor"
 * ```
 */
export class BitNetConfig implements BitNetConfigFields {
  readonly groupSize: GroupSize;
  readonly activationBits: number;
  readonly perToken: boolean;
  readonly useSte: boolean;
  readonly useRmsNorm: boolean;
  readonly eps: number;
  readonly rounding: RoundingMode;

  /** Creates a config from some fields (others default); validates all. */
  constructor(fields: Partial<BitNetConfigFields> = {}) {
    const f = { ...DEFAULTS, ...fields };
    const gs: unknown = f.groupSize;
    if (!(gs === "tensor" || gs === "row" || (typeof gs === "number" && Number.isInteger(gs) && gs > 0))) {
      throw new ConfigError(`groupSize must be "tensor", "row" or a positive integer, got ${String(gs)}`);
    }
    if (!Number.isInteger(f.activationBits) || f.activationBits < 2 || f.activationBits > 8) {
      throw new ConfigError(`activationBits must be an integer from 2 to 8, got ${f.activationBits}`);
    }
    for (const key of ["perToken", "useSte", "useRmsNorm"] as const) {
      if (typeof f[key] !== "boolean") throw new ConfigError(`${key} must be a boolean, got ${String(f[key])}`);
    }
    if (typeof f.eps !== "number" || !(f.eps > 0) || !Number.isFinite(f.eps)) throw new ConfigError(`eps must be a positive finite number, got ${String(f.eps)}`);
    if (!isRoundingMode(f.rounding)) throw new ConfigError(`rounding must be "half-even" or "half-away", got ${String(f.rounding)}`);
    this.groupSize = f.groupSize;
    this.activationBits = f.activationBits;
    this.perToken = f.perToken;
    this.useSte = f.useSte;
    this.useRmsNorm = f.useRmsNorm;
    this.eps = f.eps;
    this.rounding = f.rounding;
    Object.freeze(this);
  }

  /**
   * The defaults: per-tensor weight scale, 8-bit per-token activations, STE on,
   * no input norm, eps 1e-5, half-even rounding.
   *
   * @example
   * ```ts
   * BitNetConfig.default().activationBits; // 8
   * ```
   */
  static default(): BitNetConfig {
    return new BitNetConfig();
  }

  /**
   * A builder; `build()` validates.
   *
   * @example
   * ```ts
   * BitNetConfig.builder().groupSize("row").build().groupSize; // "row"
   * ```
   */
  static builder(): BitNetConfigBuilder {
    return new BitNetConfigBuilder();
  }

  /**
   * A copy with some fields changed (validated).
   *
   * @example
   * ```ts
   * BitNetConfig.default().with({ activationBits: 4 }).activationBits; // 4
   * ```
   */
  with(fields: Partial<BitNetConfigFields>): BitNetConfig {
    return new BitNetConfig({ ...this.toJSON(), ...fields });
  }

  /**
   * The fields as a plain object (for JSON and `new BitNetConfig(json)`).
   *
   * @example
   * ```ts
   * new BitNetConfig(JSON.parse(JSON.stringify(cfg))); // an equal config
   * ```
   */
  toJSON(): BitNetConfigFields {
    return {
      groupSize: this.groupSize,
      activationBits: this.activationBits,
      perToken: this.perToken,
      useSte: this.useSte,
      useRmsNorm: this.useRmsNorm,
      eps: this.eps,
      rounding: this.rounding,
    };
  }
}

/**
 * Fluent construction of a {@link BitNetConfig}; nothing is checked until `build()`.
 *
 * @example
 * ```ts
 * new BitNetConfigBuilder().activationBits(4).perToken(false).build();
 * ```
 */
export class BitNetConfigBuilder {
  #fields: Partial<{ -readonly [K in keyof BitNetConfigFields]: BitNetConfigFields[K] }> = {};

  /** Sets the weight scale granularity. */
  groupSize(value: GroupSize): this {
    this.#fields.groupSize = value;
    return this;
  }
  /** Sets the activation bits (2..8). */
  activationBits(value: number): this {
    this.#fields.activationBits = value;
    return this;
  }
  /** Per-token (true) or per-tensor (false) activation scales. */
  perToken(value: boolean): this {
    this.#fields.perToken = value;
    return this;
  }
  /** Train through the straight-through estimator. */
  useSte(value: boolean): this {
    this.#fields.useSte = value;
    return this;
  }
  /** RMSNorm on BitLinear's input. */
  useRmsNorm(value: boolean): this {
    this.#fields.useRmsNorm = value;
    return this;
  }
  /** Scale floor and norm epsilon. */
  eps(value: number): this {
    this.#fields.eps = value;
    return this;
  }
  /** Tie rule. */
  rounding(value: RoundingMode): this {
    this.#fields.rounding = value;
    return this;
  }
  /** Validates and returns the config (throws `ConfigError`). */
  build(): BitNetConfig {
    return new BitNetConfig(this.#fields);
  }
}
