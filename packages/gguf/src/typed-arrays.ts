// The typed-array class of each numeric GGUF element type: one table, used to
// copy metadata arrays (metadata.ts) and to check them before writing (writer.ts).
import type { GgufArrayMap } from "./metadata.js";

/**
 * The GGUF element types whose arrays are held in typed arrays.
 *
 * @example
 * ```ts
 * const t: GgufTypedArrayType = "f32";
 * ```
 */
export type GgufTypedArrayType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64" | "u64" | "i64";

/**
 * The typed-array class of each numeric GGUF element type (u64/i64 hold bigints).
 *
 * @example
 * ```ts
 * GGUF_TYPED_ARRAYS.f32.from([1, 2]); // Float32Array [1, 2]
 * GGUF_TYPED_ARRAYS.u64.name; // "BigUint64Array"
 * ```
 */
export const GGUF_TYPED_ARRAYS = {
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  i16: Int16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
  u64: BigUint64Array,
  i64: BigInt64Array,
} as const satisfies { readonly [K in GgufTypedArrayType]: { readonly name: string; new (length: number): GgufArrayMap[K] } };
