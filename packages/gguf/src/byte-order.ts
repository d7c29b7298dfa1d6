// Byte order of tensor data: swaps the multi-byte fields of a type's blocks (big- <-> little-endian).
// Only for types whose block layout is known here; others are refused, never guessed.
import { type BytesLike, toBytes } from "./bytes.js";
import { GgufError } from "./errors.js";
import type { GgmlTypeName } from "./ggml-types.js";

/** For each swappable type: block size in bytes and the [offset, width] of each multi-byte field. */
const FIELDS: Partial<Record<GgmlTypeName, { readonly blockBytes: number; readonly fields: readonly (readonly [number, number])[] }>> = {
  F32: { blockBytes: 4, fields: [[0, 4]] },
  F16: { blockBytes: 2, fields: [[0, 2]] },
  BF16: { blockBytes: 2, fields: [[0, 2]] },
  F64: { blockBytes: 8, fields: [[0, 8]] },
  I8: { blockBytes: 1, fields: [] },
  I16: { blockBytes: 2, fields: [[0, 2]] },
  I32: { blockBytes: 4, fields: [[0, 4]] },
  I64: { blockBytes: 8, fields: [[0, 8]] },
  Q8_0: { blockBytes: 34, fields: [[0, 2]] },
  TQ1_0: { blockBytes: 54, fields: [[52, 2]] },
  TQ2_0: { blockBytes: 66, fields: [[64, 2]] },
};

/**
 * True when {@link swapTensorBytes} knows the layout of `type`.
 *
 * @example
 * ```ts
 * canSwapTensorBytes("TQ2_0"); // true
 * canSwapTensorBytes("Q4_K");  // false
 * ```
 */
export function canSwapTensorBytes(type: GgmlTypeName): boolean {
  return FIELDS[type] !== undefined;
}

/**
 * A copy of tensor data with every multi-byte field byte-reversed (the fp16 scale of
 * each Q8_0/TQ block, every element of F32/F16/BF16/integer types). The same call
 * converts little- to big-endian and back. Throws a {@link GgufError} for other types.
 *
 * @example
 * ```ts
 * swapTensorBytes("F16", new Uint8Array([0x00, 0x3c])); // Uint8Array [0x3c, 0x00]
 * ```
 */
export function swapTensorBytes(type: GgmlTypeName, input: BytesLike): Uint8Array {
  const bytes = toBytes(input, "swapTensorBytes");
  const layout = FIELDS[type];
  if (layout === undefined) throw new GgufError(`cannot convert the byte order of ${type} tensor data (its block layout is not known here)`);
  if (bytes.length % layout.blockBytes !== 0) {
    throw new GgufError(`${type} tensor data of ${bytes.length} bytes is not a whole number of ${layout.blockBytes}-byte blocks`);
  }
  const out = new Uint8Array(bytes); // a copy even for a Node Buffer, whose slice() is a view
  for (let b = 0; b < out.length; b += layout.blockBytes) {
    for (const [offset, width] of layout.fields) {
      for (let k = 0; k < width; k++) out[b + offset + k] = bytes[b + offset + width - 1 - k];
    }
  }
  return out;
}
