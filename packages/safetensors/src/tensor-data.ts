// Reading tensor data out of a parsed file: raw byte views, typed-array views, and float32 values.
// Views share memory with the file; conversions (F16, BF16, integers) allocate.
import type { SafetensorsDtype } from "./dtypes.js";
import { SafetensorsError } from "./errors.js";
import { f16BitsToNumber } from "./half.js";
import type { SafetensorsFile, SafetensorsTensorInfo } from "./reader.js";

/**
 * The typed array each dtype is viewed as by {@link tensorArray}: its natural element
 * type, `Uint16Array` of raw bits for F16/BF16, `Float32Array` of (re, im) pairs for
 * C64, and `Uint8Array` of raw bytes for BOOL, the 8-bit floats and the packed 4/6-bit
 * floats.
 *
 * @example
 * ```ts
 * const a: SafetensorsArray = new Float32Array(4);
 * ```
 */
export type SafetensorsArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * The tensor named `name`, or undefined.
 *
 * @example
 * ```ts
 * findTensor(file, "model.norm.weight")?.shape; // [2560]
 * ```
 */
export function findTensor(file: SafetensorsFile, name: string): SafetensorsTensorInfo | undefined {
  return file.tensorsByName.get(name);
}

function resolve(file: SafetensorsFile, tensor: string | SafetensorsTensorInfo): SafetensorsTensorInfo {
  if (typeof tensor !== "string") return tensor;
  const info = file.tensorsByName.get(tensor);
  if (info === undefined) throw new SafetensorsError("TensorNotFound", `no tensor named ${JSON.stringify(tensor)} in the file`);
  return info;
}

/**
 * The raw little-endian bytes of a tensor: a view into `file.bytes`, no copy.
 *
 * @throws SafetensorsError (TensorNotFound) when the name is not in the file.
 * @example
 * ```ts
 * tensorBytes(file, "x"); // Uint8Array(8) viewing the file
 * ```
 */
export function tensorBytes(file: SafetensorsFile, tensor: string | SafetensorsTensorInfo): Uint8Array {
  const info = resolve(file, tensor);
  return file.bytes.subarray(info.byteOffset, info.byteOffset + info.byteLength);
}

const CTORS = {
  BOOL: Uint8Array,
  F4: Uint8Array,
  F6_E2M3: Uint8Array,
  F6_E3M2: Uint8Array,
  U8: Uint8Array,
  I8: Int8Array,
  F8_E5M2: Uint8Array,
  F8_E4M3: Uint8Array,
  F8_E8M0: Uint8Array,
  F8_E4M3FNUZ: Uint8Array,
  F8_E5M2FNUZ: Uint8Array,
  I16: Int16Array,
  U16: Uint16Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I32: Int32Array,
  U32: Uint32Array,
  F32: Float32Array,
  C64: Float32Array,
  F64: Float64Array,
  I64: BigInt64Array,
  U64: BigUint64Array,
} as const satisfies Record<SafetensorsDtype, unknown>;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A typed array over a tensor's elements (see {@link SafetensorsArray} for the type per
 * dtype). It is a view into `file.bytes` when the tensor's offset is a multiple of the
 * element size (always so for files from the reference writer or {@link writeSafetensors}),
 * and a copy otherwise — writing to it then does not change the file.
 *
 * @throws SafetensorsError (TensorNotFound, or UnsupportedDtype on a big-endian host).
 * @example
 * ```ts
 * tensorArray(file, "x"); // Float32Array [1, 2] for an F32 tensor
 * ```
 */
export function tensorArray(file: SafetensorsFile, tensor: string | SafetensorsTensorInfo): SafetensorsArray {
  const info = resolve(file, tensor);
  const Ctor = CTORS[info.dtype];
  const size = Ctor.BYTES_PER_ELEMENT;
  if (size > 1 && !LITTLE_ENDIAN_HOST) {
    throw new SafetensorsError("UnsupportedDtype", `tensor ${JSON.stringify(info.name)}: typed views of multi-byte dtypes need a little-endian host`);
  }
  const absolute = file.bytes.byteOffset + info.byteOffset;
  const length = info.byteLength / size;
  // The buffer may be a SharedArrayBuffer; typed-array constructors accept either.
  if (absolute % size === 0) return new Ctor(file.bytes.buffer as ArrayBuffer, absolute, length);
  const copy = file.bytes.slice(info.byteOffset, info.byteOffset + info.byteLength);
  return new Ctor(copy.buffer, 0, length);
}

/**
 * A tensor's values as float32, for the float and integer dtypes (F32, F16, BF16, F64,
 * I8, U8, I16, U16, I32, U32, I64, U64, BOOL). F32 gives a view when aligned (copy it
 * before writing to it); every other dtype gives a new array. F64 and 64-bit integers
 * are rounded to the nearest f32.
 *
 * @throws SafetensorsError (UnsupportedDtype) for C64, the 8-bit and sub-byte floats.
 * @example
 * ```ts
 * tensorToFloat32(file, "model.norm.weight"); // Float32Array(2560) from BF16
 * ```
 */
export function tensorToFloat32(file: SafetensorsFile, tensor: string | SafetensorsTensorInfo): Float32Array {
  const info = resolve(file, tensor);
  const values = tensorArray(file, info);
  switch (info.dtype) {
    case "F32":
      return values as Float32Array;
    case "F16":
      return Float32Array.from(values as Uint16Array, f16BitsToNumber);
    case "BF16": {
      const bits = values as Uint16Array;
      const out = new Uint32Array(bits.length);
      for (let i = 0; i < bits.length; i++) out[i] = bits[i] << 16;
      return new Float32Array(out.buffer);
    }
    case "I64":
    case "U64":
      return Float32Array.from(values as BigInt64Array, (v: bigint) => Number(v));
    case "F64":
    case "I8":
    case "U8":
    case "BOOL":
    case "I16":
    case "U16":
    case "I32":
    case "U32":
      return Float32Array.from(values as Float64Array);
    default:
      throw new SafetensorsError("UnsupportedDtype", `tensor ${JSON.stringify(info.name)}: no float32 conversion for dtype ${info.dtype}`);
  }
}
