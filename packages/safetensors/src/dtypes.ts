// The safetensors dtypes: names, bit widths, and the enum order the reference writer sorts by.
// No conversions here (those are ./values.ts).

import { SafetensorsError } from "./errors.js";

/**
 * A safetensors dtype name, exactly as it appears in a header.
 *
 * @example
 * ```ts
 * const d: SafetensorsDtype = "BF16";
 * ```
 */
export type SafetensorsDtype =
  | "BOOL"
  | "F4"
  | "F6_E2M3"
  | "F6_E3M2"
  | "U8"
  | "I8"
  | "F8_E5M2"
  | "F8_E4M3"
  | "F8_E8M0"
  | "F8_E4M3FNUZ"
  | "F8_E5M2FNUZ"
  | "I16"
  | "U16"
  | "F16"
  | "BF16"
  | "I32"
  | "U32"
  | "F32"
  | "C64"
  | "F64"
  | "I64"
  | "U64";

/**
 * One dtype: its name, its width in bits and its position in the Rust `Dtype` enum
 * ("increasing alignment order"), which the writer sorts by.
 *
 * @example
 * ```ts
 * safetensorsDtype("F16"); // { name: "F16", bits: 16, order: 13 }
 * ```
 */
export interface SafetensorsDtypeInfo {
  readonly name: SafetensorsDtype;
  readonly bits: number;
  readonly order: number;
}

const TABLE: readonly (readonly [SafetensorsDtype, number])[] = [
  ["BOOL", 8],
  ["F4", 4],
  ["F6_E2M3", 6],
  ["F6_E3M2", 6],
  ["U8", 8],
  ["I8", 8],
  ["F8_E5M2", 8],
  ["F8_E4M3", 8],
  ["F8_E8M0", 8],
  ["F8_E4M3FNUZ", 8],
  ["F8_E5M2FNUZ", 8],
  ["I16", 16],
  ["U16", 16],
  ["F16", 16],
  ["BF16", 16],
  ["I32", 32],
  ["U32", 32],
  ["F32", 32],
  ["C64", 64],
  ["F64", 64],
  ["I64", 64],
  ["U64", 64],
];

/**
 * Every dtype of safetensors (Rust crate, 2026), in enum order.
 *
 * @example
 * ```ts
 * SAFETENSORS_DTYPES.length;  // 22
 * SAFETENSORS_DTYPES[0]!.name; // "BOOL"
 * ```
 */
export const SAFETENSORS_DTYPES: readonly SafetensorsDtypeInfo[] = Object.freeze(
  TABLE.map(([name, bits], order) => Object.freeze({ name, bits, order })),
);

const BY_NAME: ReadonlyMap<string, SafetensorsDtypeInfo> = new Map(SAFETENSORS_DTYPES.map((d) => [d.name, d]));

/**
 * Whether `name` is a safetensors dtype name (case-sensitive, as in headers).
 *
 * @example
 * ```ts
 * isSafetensorsDtype("F32"); // true
 * isSafetensorsDtype("f32"); // false
 * ```
 */
export function isSafetensorsDtype(name: string): name is SafetensorsDtype {
  return BY_NAME.has(name);
}

/**
 * The table entry of a dtype.
 *
 * @example
 * ```ts
 * safetensorsDtype("I64").bits; // 64
 * ```
 */
export function safetensorsDtype(name: SafetensorsDtype): SafetensorsDtypeInfo {
  const info = BY_NAME.get(name);
  if (info === undefined) throw new SafetensorsError("UnsupportedDtype", `unknown dtype ${JSON.stringify(name)}`);
  return info;
}
