// Safety caps: upper bounds on every count and length a GGUF file can claim.
// They are checked (with the bytes that actually remain) before anything is allocated.

import { GgufError } from "./errors.js";

/**
 * Upper bounds applied while reading a header. Every size field of a GGUF file is
 * attacker-controlled, so besides checking each one against the bytes that remain,
 * the reader refuses values above these caps before it allocates anything.
 *
 * @example
 * ```ts
 * parseGguf(bytes, { caps: { maxArrayLength: 1_000 } }); // a tighter cap for untrusted input
 * DEFAULT_CAPS.maxDims; // 4
 * ```
 */
export interface GgufCaps {
  /** Longest string (key, value or tensor name) in bytes. */
  readonly maxStringBytes: number;
  /** Most elements in one metadata array. */
  readonly maxArrayLength: number;
  /** Deepest array nesting: 1 means an array of scalars or strings only. */
  readonly maxArrayDepth: number;
  /** Most dimensions of a tensor. */
  readonly maxDims: number;
  /** Most tensors in one file. */
  readonly maxTensorCount: number;
  /** Most metadata key/value pairs in one file. */
  readonly maxKvCount: number;
  /** Largest header (everything before the data section) the streaming reader will load. */
  readonly maxHeaderBytes: number;
}

/**
 * The default caps, each with its reason.
 *
 * @example
 * ```ts
 * DEFAULT_CAPS.maxStringBytes; // 16777216
 * ```
 */
export const DEFAULT_CAPS: GgufCaps = Object.freeze({
  // Real strings are token texts (bytes) and chat templates (tens of KiB); 16 MiB
  // bounds one decode while leaving room for unusual templates.
  maxStringBytes: 16 * 1024 * 1024,
  // The largest real arrays are vocabularies and merge lists (10^5 to 10^6 entries);
  // 2^24 leaves a wide margin and bounds one allocation to 128 MiB of 64-bit values.
  maxArrayLength: 1 << 24,
  // llama.cpp rejects arrays of arrays; the GGUF spec allows them. Depth 4 is what
  // @huggingface/gguf accepts and keeps recursion shallow.
  maxArrayDepth: 4,
  // GGML_MAX_DIMS: ggml tensors have at most 4 dimensions.
  maxDims: 4,
  // Large mixture-of-experts models have thousands of tensors, not millions.
  maxTensorCount: 1 << 20,
  // Real files have tens to a few hundred keys.
  maxKvCount: 1 << 16,
  // Headers of real models (vocabulary included) are a few MiB to a few tens of MiB.
  maxHeaderBytes: 1 << 30,
});

/**
 * Fills in missing caps from {@link DEFAULT_CAPS} and checks that each is a
 * positive safe integer.
 *
 * @example
 * ```ts
 * resolveCaps({ maxDims: 2 }).maxDims; // 2
 * ```
 */
export function resolveCaps(overrides: Partial<GgufCaps> | undefined): GgufCaps {
  const caps: GgufCaps = { ...DEFAULT_CAPS, ...overrides };
  for (const [name, value] of Object.entries(caps)) {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new GgufError(`GGUF caps: ${name} must be a positive safe integer, got ${String(value)}`);
    }
  }
  return caps;
}
