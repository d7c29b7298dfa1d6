// Safety caps for the safetensors reader: bounds on what a header may claim, checked before allocating.

import { SafetensorsError } from "./errors.js";

/**
 * Upper bounds applied while reading a header. Every field of a safetensors header is
 * attacker-controlled; besides checking each against the file's real size, the reader
 * refuses values above these caps.
 *
 * @example
 * ```ts
 * parseSafetensors(bytes, { caps: { maxHeaderBytes: 1 << 20 } }); // tighter for untrusted input
 * ```
 */
export interface SafetensorsCaps {
  /** Largest header in bytes (the u64 at the start of the file). */
  readonly maxHeaderBytes: number;
  /** Most tensors in one file. */
  readonly maxTensorCount: number;
  /** Most dimensions of one tensor. */
  readonly maxDims: number;
}

/**
 * The default caps, each with its reason.
 *
 * @example
 * ```ts
 * DEFAULT_SAFETENSORS_CAPS.maxHeaderBytes; // 100000000
 * ```
 */
export const DEFAULT_SAFETENSORS_CAPS: SafetensorsCaps = Object.freeze({
  // The Rust reader's and writer's MAX_HEADER_SIZE (100 MB): no valid file has a larger header.
  maxHeaderBytes: 100_000_000,
  // Large checkpoints have thousands of tensors per shard, not millions.
  maxTensorCount: 1 << 20,
  // PyTorch tensors have at most 64 dimensions (torch's MAX_DIMS in at::TensorIterator).
  maxDims: 64,
});

/**
 * Fills in missing caps from {@link DEFAULT_SAFETENSORS_CAPS} and checks each is a positive safe integer.
 *
 * @example
 * ```ts
 * resolveSafetensorsCaps({ maxDims: 4 }).maxDims; // 4
 * ```
 */
export function resolveSafetensorsCaps(overrides: Partial<SafetensorsCaps> | undefined): SafetensorsCaps {
  const caps: SafetensorsCaps = { ...DEFAULT_SAFETENSORS_CAPS, ...overrides };
  for (const [name, value] of Object.entries(caps)) {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new SafetensorsError("InvalidInput", `safetensors caps: ${name} must be a positive safe integer, got ${String(value)}`);
    }
  }
  return caps;
}
