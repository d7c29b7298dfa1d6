// Data types: the names, the typed array each maps to, sizes, and promotion.
// Not here: anything about shapes or storage.
import { ShapeError } from "./errors.js";
import { MAX_ELEMENTS } from "./shape.js";

/**
 * The element types a {@link Tensor} can hold.
 *
 * @example
 * ```ts
 * const d: DType = "float32";
 * ```
 */
export type DType = "float32" | "float64" | "int32" | "int8" | "uint8" | "uint32";

/**
 * Maps each dtype name to the typed array that stores it.
 *
 * @example
 * ```ts
 * const a: DTypeMap["int8"] = new Int8Array(4); // Int8Array
 * ```
 */
export interface DTypeMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  int8: Int8Array;
  uint8: Uint8Array;
  uint32: Uint32Array;
}

/**
 * Any typed array a tensor can be stored in.
 *
 * @example
 * ```ts
 * const a: TypedArray = new Float32Array([1, 2]);
 * ```
 */
export type TypedArray = DTypeMap[DType];

/** Facts about one dtype. */
export interface DTypeInfo {
  /** Bytes per element. */
  readonly bytes: number;
  /** `"float"` for floating point, `"int"` for signed, `"uint"` for unsigned integers. */
  readonly kind: "float" | "int" | "uint";
  /** Smallest representable value (for integers) or -Infinity. */
  readonly min: number;
  /** Largest representable value (for integers) or Infinity. */
  readonly max: number;
}

/**
 * The size and kind of every dtype.
 *
 * @example
 * ```ts
 * DTYPE_INFO.int8.bytes; // 1
 * DTYPE_INFO.float64.kind; // "float"
 * ```
 */
export const DTYPE_INFO = {
  float32: { bytes: 4, kind: "float", min: -Infinity, max: Infinity },
  float64: { bytes: 8, kind: "float", min: -Infinity, max: Infinity },
  int32: { bytes: 4, kind: "int", min: -2147483648, max: 2147483647 },
  int8: { bytes: 1, kind: "int", min: -128, max: 127 },
  uint8: { bytes: 1, kind: "uint", min: 0, max: 255 },
  uint32: { bytes: 4, kind: "uint", min: 0, max: 4294967295 },
} as const satisfies Record<DType, DTypeInfo>;

/**
 * Every dtype name, in a fixed order.
 *
 * @example
 * ```ts
 * ALL_DTYPES.includes("int8"); // true
 * ```
 */
export const ALL_DTYPES: readonly DType[] = ["float32", "float64", "int32", "int8", "uint8", "uint32"];

/**
 * Allocates a zero-filled typed array for a dtype.
 *
 * @example
 * ```ts
 * allocTyped("int32", 3); // Int32Array [0, 0, 0]
 * ```
 */
export function allocTyped<D extends DType>(dtype: D, length: number): DTypeMap[D] {
  const ctors: { [K in DType]: new (n: number) => DTypeMap[K] } = {
    float32: Float32Array,
    float64: Float64Array,
    int32: Int32Array,
    int8: Int8Array,
    uint8: Uint8Array,
    uint32: Uint32Array,
  };
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_ELEMENTS) {
    throw new ShapeError(`allocTyped: ${length} elements of ${dtype}; a tensor holds 0 to ${MAX_ELEMENTS}`);
  }
  return new ctors[dtype](length);
}

/**
 * The dtype a typed array stores, or `undefined` for arrays no tensor can hold.
 *
 * @example
 * ```ts
 * dtypeOfArray(new Int8Array(2)); // "int8"
 * ```
 */
export function dtypeOfArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Uint8Array) return "uint8";
  if (a instanceof Uint32Array) return "uint32";
  return undefined;
}

/**
 * True for `float32` and `float64`.
 *
 * @example
 * ```ts
 * isFloat("float32"); // true
 * isFloat("int8"); // false
 * ```
 */
export function isFloat(dtype: DType): dtype is "float32" | "float64" {
  return DTYPE_INFO[dtype].kind === "float";
}

/**
 * The dtype two tensors are computed in, following PyTorch's promotion
 * lattice for the dtypes this library has: any float wins over any integer,
 * float64 over float32; equal integer dtypes stay; mixed integer dtypes go to
 * int32, except uint32 with a signed dtype, which goes to float64 (exact for
 * every value of both, where PyTorch would use int64).
 *
 * @example
 * ```ts
 * promoteTypes("int8", "float32"); // "float32"
 * promoteTypes("int8", "uint8"); // "int32"
 * promoteTypes("float32", "float64"); // "float64"
 * ```
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const fa = isFloat(a);
  const fb = isFloat(b);
  if (fa || fb) return a === "float64" || b === "float64" ? "float64" : "float32";
  if (a === "uint32" || b === "uint32") {
    const other = a === "uint32" ? b : a;
    return other === "uint8" ? "uint32" : "float64";
  }
  return "int32";
}

/**
 * The dtype of a tensor combined with a plain JS number. Numbers are "weak"
 * as in PyTorch: an integer number keeps the tensor's dtype; a fractional
 * number turns an integer tensor into float32 and keeps a float tensor's dtype.
 *
 * @example
 * ```ts
 * promoteWithScalar("int32", 2); // "int32"
 * promoteWithScalar("int32", 0.5); // "float32"
 * promoteWithScalar("float64", 0.5); // "float64"
 * ```
 */
export function promoteWithScalar(dtype: DType, value: number): DType {
  if (isFloat(dtype)) return dtype;
  return Number.isInteger(value) ? dtype : "float32";
}
