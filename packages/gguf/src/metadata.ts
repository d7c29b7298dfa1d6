// Typed GGUF metadata values: the 13 value types, their ids, and helpers that build checked values.
// No byte I/O here; the reader and writer convert these to and from bytes.
import { GgufError } from "./errors.js";
import { GGUF_TYPED_ARRAYS } from "./typed-arrays.js";

/**
 * What each scalar GGUF value type holds in JavaScript: 64-bit integers are `bigint`.
 *
 * @example
 * ```ts
 * const n: GgufScalarMap["u64"] = 7n;
 * ```
 */
export interface GgufScalarMap {
  u8: number;
  i8: number;
  u16: number;
  i16: number;
  u32: number;
  i32: number;
  f32: number;
  bool: boolean;
  string: string;
  u64: bigint;
  i64: bigint;
  f64: number;
}

/**
 * What an array of each GGUF element type holds: numbers in the matching typed
 * array, booleans and strings in plain arrays, nested arrays as arrays of array values.
 *
 * @example
 * ```ts
 * const scores: GgufArrayMap["f32"] = new Float32Array([0, -1]);
 * ```
 */
export interface GgufArrayMap {
  u8: Uint8Array;
  i8: Int8Array;
  u16: Uint16Array;
  i16: Int16Array;
  u32: Uint32Array;
  i32: Int32Array;
  f32: Float32Array;
  bool: readonly boolean[];
  string: readonly string[];
  u64: BigUint64Array;
  i64: BigInt64Array;
  f64: Float64Array;
  array: readonly GgufArrayValue[];
}

/**
 * The name of a scalar GGUF value type (every type except `array`).
 *
 * @example
 * ```ts
 * const t: GgufScalarType = "u32";
 * ```
 */
export type GgufScalarType = keyof GgufScalarMap;

/**
 * The name of any GGUF value type.
 *
 * @example
 * ```ts
 * const t: GgufValueType = "array";
 * ```
 */
export type GgufValueType = GgufScalarType | "array";

/**
 * A scalar value tagged with its GGUF type.
 *
 * @example
 * ```ts
 * const v: GgufScalarValue = { type: "u32", value: 2 };
 * ```
 */
export type GgufScalarValue = { [K in GgufScalarType]: { readonly type: K; readonly value: GgufScalarMap[K] } }[GgufScalarType];

/**
 * An array value tagged with its element type. Arrays of arrays exist in the GGUF
 * spec but llama.cpp rejects them; the writer refuses them and the strict reader too.
 *
 * @example
 * ```ts
 * const v: GgufArrayValue = { type: "array", itemType: "string", value: ["a", "b"] };
 * ```
 */
export type GgufArrayValue = {
  [K in GgufValueType]: { readonly type: "array"; readonly itemType: K; readonly value: GgufArrayMap[K] };
}[GgufValueType];

/**
 * Any metadata value, tagged with its GGUF type.
 *
 * @example
 * ```ts
 * const eps: GgufValue = f32(1e-5); // { type: "f32", value: 0.000009999999747378752 }
 * ```
 */
export type GgufValue = GgufScalarValue | GgufArrayValue;

/**
 * The numeric id of each value type in a GGUF file.
 *
 * @example
 * ```ts
 * GGUF_VALUE_TYPE_IDS.string; // 8
 * ```
 */
export const GGUF_VALUE_TYPE_IDS = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const satisfies Record<GgufValueType, number>;

const TYPES_BY_ID: readonly GgufValueType[] = [
  "u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64",
];

/**
 * The value type for a file's type id, or `undefined` for an unknown id.
 *
 * @example
 * ```ts
 * ggufValueTypeById(4);  // "u32"
 * ggufValueTypeById(13); // undefined
 * ```
 */
export function ggufValueTypeById(id: number): GgufValueType | undefined {
  return Number.isInteger(id) && id >= 0 ? TYPES_BY_ID[id] : undefined;
}

/** Integer ranges of the fixed-width number types. */
const INT_RANGES = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
} as const;

const BIGINT_RANGES = {
  u64: [0n, 0xffffffffffffffffn],
  i64: [-0x8000000000000000n, 0x7fffffffffffffffn],
} as const;

/**
 * Why `value` is not a valid scalar of `type`, or `undefined` when it is. Checks
 * integer ranges, `bigint` for 64-bit types, booleans and well-formed strings.
 *
 * @example
 * ```ts
 * scalarProblem("u8", 256);   // "256 is outside u8's range 0..255"
 * scalarProblem("u64", 1n);   // undefined
 * ```
 */
export function scalarProblem(type: GgufScalarType, value: unknown): string | undefined {
  switch (type) {
    case "u8":
    case "i8":
    case "u16":
    case "i16":
    case "u32":
    case "i32": {
      const [lo, hi] = INT_RANGES[type];
      if (typeof value !== "number" || !Number.isInteger(value)) return `${describe(value)} is not an integer (${type})`;
      return value < lo || value > hi ? `${value} is outside ${type}'s range ${lo}..${hi}` : undefined;
    }
    case "u64":
    case "i64": {
      const [lo, hi] = BIGINT_RANGES[type];
      if (typeof value !== "bigint") return `${describe(value)} is not a bigint (${type})`;
      return value < lo || value > hi ? `${value} is outside ${type}'s range ${lo}..${hi}` : undefined;
    }
    case "f32":
    case "f64":
      return typeof value === "number" ? undefined : `${describe(value)} is not a number (${type})`;
    case "bool":
      return typeof value === "boolean" ? undefined : `${describe(value)} is not a boolean`;
    case "string":
      if (typeof value !== "string") return `${describe(value)} is not a string`;
      return isWellFormed(value) ? undefined : "string has a lone UTF-16 surrogate, which UTF-8 cannot encode";
  }
}

function describe(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** True when `s` has no lone surrogates (String.prototype.isWellFormed, spelled out for ES2023). */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

function checked<K extends GgufScalarType>(type: K, value: GgufScalarMap[K]): { readonly type: K; readonly value: GgufScalarMap[K] } {
  const problem = scalarProblem(type, value);
  if (problem !== undefined) throw new GgufError(`${type} value: ${problem}`);
  return { type, value };
}

/**
 * A u8 metadata value (checked: an integer in 0..255; otherwise a GgufError).
 * @example
 * ```ts
 * u8(7); // { type: "u8", value: 7 }
 * ```
 */
export const u8 = (value: number): { readonly type: "u8"; readonly value: number } => checked("u8", value);
/**
 * An i8 metadata value (checked: an integer in -128..127).
 * @example
 * ```ts
 * i8(-1); // { type: "i8", value: -1 }
 * ```
 */
export const i8 = (value: number): { readonly type: "i8"; readonly value: number } => checked("i8", value);
/**
 * A u16 metadata value.
 * @example
 * ```ts
 * u16(65535); // { type: "u16", value: 65535 }
 * ```
 */
export const u16 = (value: number): { readonly type: "u16"; readonly value: number } => checked("u16", value);
/**
 * An i16 metadata value.
 * @example
 * ```ts
 * i16(-300); // { type: "i16", value: -300 }
 * ```
 */
export const i16 = (value: number): { readonly type: "i16"; readonly value: number } => checked("i16", value);
/**
 * A u32 metadata value, the type llama.cpp wants for lengths, counts and token ids.
 * @example
 * ```ts
 * u32(2); // { type: "u32", value: 2 }
 * ```
 */
export const u32 = (value: number): { readonly type: "u32"; readonly value: number } => checked("u32", value);
/**
 * An i32 metadata value.
 * @example
 * ```ts
 * i32(-5); // { type: "i32", value: -5 }
 * ```
 */
export const i32 = (value: number): { readonly type: "i32"; readonly value: number } => checked("i32", value);
/**
 * A u64 metadata value (a bigint).
 * @example
 * ```ts
 * u64(1n << 40n); // { type: "u64", value: 1099511627776n }
 * ```
 */
export const u64 = (value: bigint): { readonly type: "u64"; readonly value: bigint } => checked("u64", value);
/**
 * An i64 metadata value (a bigint).
 * @example
 * ```ts
 * i64(-1n); // { type: "i64", value: -1n }
 * ```
 */
export const i64 = (value: bigint): { readonly type: "i64"; readonly value: bigint } => checked("i64", value);
/**
 * An f32 metadata value; the number is rounded to f32 now, so it reads back unchanged.
 * @example
 * ```ts
 * f32(1e-5); // { type: "f32", value: 0.000009999999747378752 }
 * ```
 */
export const f32 = (value: number): { readonly type: "f32"; readonly value: number } => checked("f32", Math.fround(value));
/**
 * An f64 metadata value.
 * @example
 * ```ts
 * f64(0.1); // { type: "f64", value: 0.1 }
 * ```
 */
export const f64 = (value: number): { readonly type: "f64"; readonly value: number } => checked("f64", value);
/**
 * A bool metadata value (one byte, 0 or 1, in the file).
 * @example
 * ```ts
 * bool(true); // { type: "bool", value: true }
 * ```
 */
export const bool = (value: boolean): { readonly type: "bool"; readonly value: boolean } => checked("bool", value);
/**
 * A string metadata value (UTF-8 in the file; lone surrogates are refused).
 * @example
 * ```ts
 * str("bitnet"); // { type: "string", value: "bitnet" }
 * ```
 */
export const str = (value: string): { readonly type: "string"; readonly value: string } => checked("string", value);

/**
 * What {@link arr} accepts for each element type: any array-like of the element's JS type.
 *
 * @example
 * ```ts
 * const ids: GgufArrayInputMap["i32"] = [1, 2, 3];
 * ```
 */
export interface GgufArrayInputMap {
  u8: ArrayLike<number>;
  i8: ArrayLike<number>;
  u16: ArrayLike<number>;
  i16: ArrayLike<number>;
  u32: ArrayLike<number>;
  i32: ArrayLike<number>;
  f32: ArrayLike<number>;
  f64: ArrayLike<number>;
  u64: ArrayLike<bigint>;
  i64: ArrayLike<bigint>;
  bool: ArrayLike<boolean>;
  string: ArrayLike<string>;
}

/**
 * An array metadata value of scalars or strings; every element is checked against
 * the element type (f32 elements are rounded to f32). The values are copied.
 *
 * @example
 * ```ts
 * arr("string", ["<unk>", "<s>"]); // { type: "array", itemType: "string", value: ["<unk>", "<s>"] }
 * arr("f32", [0, -1.5]);           // { type: "array", itemType: "f32", value: Float32Array [0, -1.5] }
 * ```
 */
export function arr<K extends GgufScalarType>(itemType: K, values: GgufArrayInputMap[K]): GgufArrayValue & { readonly itemType: K } {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const problem = scalarProblem(itemType, itemType === "f32" && typeof v === "number" ? Math.fround(v) : v);
    if (problem !== undefined) throw new GgufError(`array of ${itemType}, element ${i}: ${problem}`);
  }
  return { type: "array", itemType, value: copyArray(itemType, values) } as GgufArrayValue & { readonly itemType: K };
}

function copyArray(itemType: GgufScalarType, values: ArrayLike<unknown>): GgufArrayMap[GgufScalarType] {
  switch (itemType) {
    case "u64":
    case "i64":
      return GGUF_TYPED_ARRAYS[itemType].from(values as ArrayLike<bigint>);
    case "bool":
      return Array.from(values as ArrayLike<boolean>);
    case "string":
      return Array.from(values as ArrayLike<string>);
    default:
      return GGUF_TYPED_ARRAYS[itemType].from(values as ArrayLike<number>);
  }
}
