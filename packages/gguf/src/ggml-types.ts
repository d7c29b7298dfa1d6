// The ggml tensor type table: id, name, elements per block and bytes per block.
// It does not decode anything; codecs live in ./codecs.

import { GgufError } from "./errors.js";

/**
 * One ggml tensor type: `blockSize` elements are stored in `typeSize` bytes.
 *
 * @example
 * ```ts
 * const q8: GgmlTypeInfo = ggmlType("Q8_0"); // { id: 8, name: "Q8_0", blockSize: 32, typeSize: 34 }
 * ```
 */
export interface GgmlTypeInfo {
  readonly id: number;
  readonly name: GgmlTypeName;
  readonly blockSize: number;
  readonly typeSize: number;
}

const QK_K = 256;

/**
 * Every ggml type this package knows, in id order (llama.cpp b4747, plus MXFP4 = 39
 * from later versions, and bitnet.cpp's I2_S = 36, an id upstream retired). Ids 4, 5,
 * 31-33, 37 and 38 are retired and absent. I2_S has `blockSize` 1 and `typeSize` 1 as in
 * bitnet.cpp's fork, whose `ggml_nbytes` overrides the size: use {@link ggmlByteLength}.
 *
 * @example
 * ```ts
 * GGML_TYPES.find((t) => t.name === "TQ2_0"); // { id: 35, name: "TQ2_0", blockSize: 256, typeSize: 66 }
 * ```
 */
export const GGML_TYPES = [
  { id: 0, name: "F32", blockSize: 1, typeSize: 4 },
  { id: 1, name: "F16", blockSize: 1, typeSize: 2 },
  { id: 2, name: "Q4_0", blockSize: 32, typeSize: 2 + 16 },
  { id: 3, name: "Q4_1", blockSize: 32, typeSize: 2 + 2 + 16 },
  { id: 6, name: "Q5_0", blockSize: 32, typeSize: 2 + 4 + 16 },
  { id: 7, name: "Q5_1", blockSize: 32, typeSize: 2 + 2 + 4 + 16 },
  { id: 8, name: "Q8_0", blockSize: 32, typeSize: 2 + 32 },
  { id: 9, name: "Q8_1", blockSize: 32, typeSize: 4 + 32 },
  { id: 10, name: "Q2_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 16 + QK_K / 4 },
  { id: 11, name: "Q3_K", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 + 12 },
  { id: 12, name: "Q4_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + 12 },
  { id: 13, name: "Q5_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + QK_K / 8 + 12 },
  { id: 14, name: "Q6_K", blockSize: QK_K, typeSize: 2 + QK_K / 2 + QK_K / 4 + QK_K / 16 },
  { id: 15, name: "Q8_K", blockSize: QK_K, typeSize: 4 + QK_K + QK_K / 8 },
  { id: 16, name: "IQ2_XXS", blockSize: QK_K, typeSize: 2 + QK_K / 4 },
  { id: 17, name: "IQ2_XS", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 32 },
  { id: 18, name: "IQ3_XXS", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 },
  { id: 19, name: "IQ1_S", blockSize: QK_K, typeSize: 2 + QK_K / 8 + QK_K / 16 },
  { id: 20, name: "IQ4_NL", blockSize: 32, typeSize: 2 + 16 },
  { id: 21, name: "IQ3_S", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4 },
  { id: 22, name: "IQ2_S", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 16 },
  { id: 23, name: "IQ4_XS", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + QK_K / 64 },
  { id: 24, name: "I8", blockSize: 1, typeSize: 1 },
  { id: 25, name: "I16", blockSize: 1, typeSize: 2 },
  { id: 26, name: "I32", blockSize: 1, typeSize: 4 },
  { id: 27, name: "I64", blockSize: 1, typeSize: 8 },
  { id: 28, name: "F64", blockSize: 1, typeSize: 8 },
  { id: 29, name: "IQ1_M", blockSize: QK_K, typeSize: QK_K / 8 + QK_K / 16 + QK_K / 32 },
  { id: 30, name: "BF16", blockSize: 1, typeSize: 2 },
  { id: 34, name: "TQ1_0", blockSize: QK_K, typeSize: 2 + 4 * 13 },
  { id: 35, name: "TQ2_0", blockSize: QK_K, typeSize: 2 + 64 },
  { id: 36, name: "I2_S", blockSize: 1, typeSize: 1 },
  { id: 39, name: "MXFP4", blockSize: 32, typeSize: 1 + 16 },
] as const satisfies readonly { id: number; name: string; blockSize: number; typeSize: number }[];

/**
 * The name of a known ggml type, such as `"F32"` or `"TQ2_0"`.
 *
 * @example
 * ```ts
 * const t: GgmlTypeName = "TQ1_0";
 * ```
 */
export type GgmlTypeName = (typeof GGML_TYPES)[number]["name"];

/**
 * Ids that once were ggml types and are no longer accepted (Q4_2, Q4_3, the
 * Q4_0_x_y and IQ4_NL_x_y repack types). Upstream also retired 36 (IQ4_NL_4_4); this
 * package reads 36 as bitnet.cpp's I2_S, the only files that still carry it. In
 * bitnet.cpp's fork 37 is I8_S (activations only) and 38 TL1, whose layout depends on a
 * kernel configuration, so neither is read.
 *
 * @example
 * ```ts
 * RETIRED_GGML_TYPE_IDS.includes(38); // true
 * ```
 */
export const RETIRED_GGML_TYPE_IDS: readonly number[] = [4, 5, 31, 32, 33, 37, 38];

/**
 * Bytes of a tensor of `elements` elements of type `type`: whole blocks of `typeSize`
 * bytes, except I2_S, which bitnet.cpp sizes as ⌊elements / 4⌋ + 32 (2-bit codes, then an
 * f32 scale and 28 bytes of padding).
 *
 * @example
 * ```ts
 * ggmlByteLength("Q6_K", 512); // 420
 * ggmlByteLength("I2_S", 512); // 160
 * ```
 */
export function ggmlByteLength(type: GgmlTypeName, elements: number): number {
  if (type === "I2_S") return Math.floor(elements / 4) + 32;
  const info = ggmlType(type);
  return (elements / info.blockSize) * info.typeSize;
}

/**
 * Looks a type up by its id; `undefined` for retired or unknown ids.
 *
 * @example
 * ```ts
 * ggmlTypeById(34)?.name; // "TQ1_0"
 * ggmlTypeById(4);        // undefined (retired Q4_2)
 * ```
 */
export function ggmlTypeById(id: number): GgmlTypeInfo | undefined {
  for (const t of GGML_TYPES) if (t.id === id) return t;
  return undefined;
}

/**
 * Looks a type up by name; throws a `GgufError` for a name that is not a ggml type.
 *
 * @example
 * ```ts
 * ggmlType("Q8_0"); // { id: 8, name: "Q8_0", blockSize: 32, typeSize: 34 }
 * ```
 */
export function ggmlType(name: GgmlTypeName): GgmlTypeInfo {
  for (const t of GGML_TYPES) if (t.name === name) return t;
  throw new GgufError(`unknown ggml type name ${JSON.stringify(name)}`);
}

/**
 * True when `name` is the name of a known ggml type (a type guard).
 *
 * @example
 * ```ts
 * isGgmlTypeName("TQ2_0"); // true
 * isGgmlTypeName("Q9_9");  // false
 * ```
 */
export function isGgmlTypeName(name: string): name is GgmlTypeName {
  for (const t of GGML_TYPES) if (t.name === name) return true;
  return false;
}
