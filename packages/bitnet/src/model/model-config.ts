// BitNetModelConfig: the shape of a BitNet b1.58 decoder (what llama.cpp's
// `bitnet` GGUF keys hold), its defaults and validation. Not the quantizer
// settings (BitNetConfig) and not the model itself.
import { ConfigError } from "../errors.js";

/**
 * The FFN activation: `silu` (what llama.cpp b4747's `bitnet` graph computes,
 * SiLU(gate)·up) or `relu2` (BitNet b1.58 2B4T's squared ReLU, relu(gate)²·up;
 * llama.cpp b4747 cannot run it, so the GGUF export refuses it).
 *
 * @example
 * ```ts
 * const act: HiddenActivation = "silu";
 * ```
 */
export type HiddenActivation = "silu" | "relu2";

/**
 * The transformer's dimensions. `dim` = heads × headDim; `kvHeads` divides
 * `heads` (grouped-query attention); for TQ1_0/TQ2_0 export `dim` and
 * `ffnDim` must be multiples of 256.
 *
 * @example
 * ```ts
 * const cfg: BitNetModelConfig = resolveModelConfig({ vocabSize: 300, dim: 256, layers: 2, heads: 4, kvHeads: 2, ffnDim: 512 });
 * cfg.ropeTheta; // 10000
 * ```
 */
export interface BitNetModelConfig {
  readonly vocabSize: number;
  readonly dim: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ffnDim: number;
  /** Longest sequence (training context and KV cache size). */
  readonly contextLength: number;
  /** RoPE base frequency. */
  readonly ropeTheta: number;
  /** Epsilon of every RMSNorm. */
  readonly normEps: number;
  readonly hiddenActivation: HiddenActivation;
}

/**
 * The fields {@link resolveModelConfig} requires; the rest have defaults.
 *
 * @example
 * ```ts
 * const input: BitNetModelConfigInput = { vocabSize: 300, dim: 256, layers: 2, heads: 4 };
 * ```
 */
export type BitNetModelConfigInput = Pick<BitNetModelConfig, "vocabSize" | "dim" | "layers" | "heads"> & Partial<BitNetModelConfig>;

/**
 * Fills defaults (`kvHeads` = `heads`, `ffnDim` = the smallest multiple of 256
 * at or above 8/3·dim, `contextLength` 256, `ropeTheta` 10000, `normEps`
 * 1e-5, `hiddenActivation` "silu") and validates; a bad value throws a
 * `ConfigError` naming the field. `ropeTheta` and `normEps` are rounded to
 * float32, as GGUF stores them.
 *
 * @example
 * ```ts
 * resolveModelConfig({ vocabSize: 300, dim: 256, layers: 1, heads: 4 }).ffnDim; // 768
 * resolveModelConfig({ vocabSize: 300, dim: 250, layers: 1, heads: 4 }); // throws ConfigError: dim 250 must be a multiple of heads 4
 * ```
 */
export function resolveModelConfig(input: BitNetModelConfigInput): BitNetModelConfig {
  const cfg: BitNetModelConfig = {
    kvHeads: input.heads,
    ffnDim: Math.ceil((input.dim * 8) / 3 / 256) * 256,
    contextLength: 256,
    ropeTheta: 10000,
    normEps: 1e-5,
    hiddenActivation: "silu",
    ...input,
  };
  for (const key of ["vocabSize", "dim", "layers", "heads", "kvHeads", "ffnDim", "contextLength"] as const) {
    const v = cfg[key];
    if (!Number.isInteger(v) || v <= 0) throw new ConfigError(`BitNetModelConfig.${key} must be a positive integer, got ${String(v)}`);
  }
  if (cfg.dim % cfg.heads !== 0) throw new ConfigError(`BitNetModelConfig: dim ${cfg.dim} must be a multiple of heads ${cfg.heads}`);
  if ((cfg.dim / cfg.heads) % 2 !== 0) throw new ConfigError(`BitNetModelConfig: the head size dim/heads = ${cfg.dim / cfg.heads} must be even for RoPE`);
  if (cfg.heads % cfg.kvHeads !== 0) throw new ConfigError(`BitNetModelConfig: heads ${cfg.heads} must be a multiple of kvHeads ${cfg.kvHeads}`);
  if (!(cfg.ropeTheta > 0) || !Number.isFinite(cfg.ropeTheta)) throw new ConfigError(`BitNetModelConfig.ropeTheta must be positive and finite, got ${cfg.ropeTheta}`);
  if (!(cfg.normEps > 0) || !Number.isFinite(cfg.normEps)) throw new ConfigError(`BitNetModelConfig.normEps must be positive and finite, got ${cfg.normEps}`);
  if (cfg.hiddenActivation !== "silu" && cfg.hiddenActivation !== "relu2") {
    throw new ConfigError(`BitNetModelConfig.hiddenActivation must be "silu" or "relu2", got ${String(cfg.hiddenActivation)}`);
  }
  // Held in float32, as GGUF stores them and llama.cpp computes with them.
  return Object.freeze({ ...cfg, ropeTheta: Math.fround(cfg.ropeTheta), normEps: Math.fround(cfg.normEps) });
}

/**
 * The size of one attention head, `dim / heads`.
 *
 * @example
 * ```ts
 * headDim(resolveModelConfig({ vocabSize: 300, dim: 256, layers: 1, heads: 4 })); // 64
 * ```
 */
export function headDim(cfg: BitNetModelConfig): number {
  return cfg.dim / cfg.heads;
}
