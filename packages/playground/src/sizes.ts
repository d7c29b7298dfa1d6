// The model sizes the playground offers, and the limits on what a user may set.

/** One model size: the BitNetModel shape and the batch it trains with. */
export interface ModelSize {
  readonly label: string;
  readonly dim: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ffnDim: number;
  readonly context: number;
  readonly batch: number;
  readonly vocab: number;
}

/**
 * The sizes on offer, smallest first: each trains in a browser tab on the CPU
 * backend at a few steps per second (the largest needs WebGPU to be pleasant).
 *
 * @example
 * ```ts
 * SIZES.tiny.dim; // 32
 * ```
 */
export const SIZES = {
  tiny: { label: "tiny · dim 32 × 1", dim: 32, layers: 1, heads: 2, kvHeads: 1, ffnDim: 64, context: 32, batch: 4, vocab: 300 },
  small: { label: "small · dim 64 × 2", dim: 64, layers: 2, heads: 4, kvHeads: 2, ffnDim: 128, context: 48, batch: 4, vocab: 320 },
  medium: { label: "medium · dim 128 × 2", dim: 128, layers: 2, heads: 4, kvHeads: 2, ffnDim: 256, context: 64, batch: 4, vocab: 384 },
} as const satisfies Record<string, ModelSize>;

/** A key of {@link SIZES}. */
export type SizeName = keyof typeof SIZES;

/** Limits on the text a user pastes (characters). */
export const TEXT_LIMITS = { min: 400, max: 200_000 } as const;

/**
 * Whether `name` is one of the {@link SIZES}.
 *
 * @example
 * ```ts
 * isSizeName("small"); // true
 * ```
 */
export function isSizeName(name: string): name is SizeName {
  return Object.hasOwn(SIZES, name);
}
