// BitNetAdapterConfig: which Linear layers become BitLinear, with which
// quantization, and the optional LoRA on top of the frozen ternary base.
import { BitNetConfig } from "../config.js";
import { ConfigError } from "../errors.js";

/**
 * The seven projection names of LLaMA-style transformers (the Rust crate's default).
 *
 * @example
 * ```ts
 * DEFAULT_TARGET_MODULES.includes("q_proj"); // true
 * ```
 */
export const DEFAULT_TARGET_MODULES: readonly string[] = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

/** LoRA settings: rank r, scaling alpha / r, dropout on the LoRA input. */
export interface LoraOptions {
  readonly rank: number;
  /** Scaling numerator (default = rank, so the scale is 1). */
  readonly alpha?: number;
  /** Dropout probability on the LoRA branch's input (default 0). */
  readonly dropout?: number;
  /** Seed of A's initialisation and of dropout (default 0). */
  readonly seed?: number;
}

/** Fields of a {@link BitNetAdapterConfig}. */
export interface BitNetAdapterConfigFields {
  /** Quantization of the replaced layers. */
  readonly bitnet?: BitNetConfig;
  /** Names to match: a module matches when its dotted path equals a name or ends in `.name`. */
  readonly targetModules?: readonly string[];
  /** Add LoRA adapters on the ternary base (default: none, full QAT). */
  readonly lora?: LoraOptions;
}

/**
 * Settings of a {@link BitNetAdapter}; validated on creation.
 *
 * @example
 * ```ts
 * const cfg = new BitNetAdapterConfig({ targetModules: ["fc1"], lora: { rank: 8, alpha: 16 } });
 * cfg.lora?.rank; // 8
 * ```
 */
export class BitNetAdapterConfig {
  readonly bitnet: BitNetConfig;
  readonly targetModules: readonly string[];
  readonly lora: Required<LoraOptions> | null;

  constructor(fields: BitNetAdapterConfigFields = {}) {
    this.bitnet = fields.bitnet ?? BitNetConfig.default();
    const targets = fields.targetModules ?? DEFAULT_TARGET_MODULES;
    if (targets.length === 0 || targets.some((t) => typeof t !== "string" || t.length === 0)) {
      throw new ConfigError(`targetModules must be a non-empty list of non-empty names, got [${targets.join(", ")}]`);
    }
    this.targetModules = [...targets];
    const l = fields.lora;
    if (l === undefined) this.lora = null;
    else {
      if (!Number.isInteger(l.rank) || l.rank <= 0) throw new ConfigError(`lora.rank must be a positive integer, got ${l.rank}`);
      const dropout = l.dropout ?? 0;
      if (!(dropout >= 0 && dropout < 1)) throw new ConfigError(`lora.dropout must be in [0, 1), got ${dropout}`);
      const alpha = l.alpha ?? l.rank;
      if (!Number.isFinite(alpha)) throw new ConfigError(`lora.alpha must be finite, got ${alpha}`);
      this.lora = { rank: l.rank, alpha, dropout, seed: l.seed ?? 0 };
    }
    Object.freeze(this);
  }

  /**
   * A copy with other target modules (the crate's `with_target_modules`).
   *
   * @example
   * ```ts
   * new BitNetAdapterConfig().withTargetModules(["fc1"]).targetModules; // ["fc1"]
   * ```
   */
  withTargetModules(targetModules: readonly string[]): BitNetAdapterConfig {
    return new BitNetAdapterConfig({ bitnet: this.bitnet, targetModules, ...(this.lora === null ? {} : { lora: this.lora }) });
  }

  /**
   * True when a module at `path` is a target.
   *
   * @example
   * ```ts
   * new BitNetAdapterConfig().matches("layers.0.self_attn.q_proj"); // true
   * ```
   */
  matches(path: string): boolean {
    return this.targetModules.some((t) => path === t || path.endsWith(`.${t}`));
  }
}
