// How each tensor dtype is held on the GPU: WGSL has only f32, i32 and u32, so
// int8 and uint8 are widened to one 32-bit word per element. Not the kernels.
import { type DType, type TypedArray, DTypeError } from "@bitnet-quantize/tensor";

/** A WGSL scalar type that stores tensor elements. */
export type WgslScalar = "f32" | "i32" | "u32";

/** The dtypes this backend can hold (every dtype except float64). */
export type GpuDType = Exclude<DType, "float64">;

/**
 * The WGSL type that holds `dtype` (one 4-byte word per element).
 *
 * @example
 * ```ts
 * wgslTypeOf("int8"); // "i32"
 * ```
 */
export function wgslTypeOf(dtype: DType): WgslScalar {
  switch (dtype) {
    case "float32":
      return "f32";
    case "int32":
    case "int8":
      return "i32";
    case "uint32":
    case "uint8":
      return "u32";
    case "float64":
      throw float64Error("webgpu");
  }
}

/**
 * The error every op throws for float64: WGSL has no 64-bit floats.
 *
 * @example
 * ```ts
 * throw float64Error("upload"); // DTypeError: webgpu upload: float64 is not supported ...
 * ```
 */
export function float64Error(op: string): DTypeError {
  return new DTypeError(`webgpu ${op}: float64 is not supported (WGSL has no 64-bit float); cast to float32 first`);
}

/**
 * Checks that a dtype can live on the GPU.
 *
 * @example
 * ```ts
 * checkGpuDType("int8", "upload"); // "int8"
 * ```
 */
export function checkGpuDType(dtype: DType, op: string): GpuDType {
  if (dtype === "float64") throw float64Error(op);
  return dtype;
}

/**
 * The 32-bit words to upload for host data of `dtype` (int8/uint8 widened).
 *
 * @example
 * ```ts
 * toGpuWords(new Int8Array([-1]), "int8"); // Int32Array [-1]
 * ```
 */
export function toGpuWords(data: TypedArray, dtype: GpuDType): Float32Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> {
  switch (dtype) {
    case "float32":
      return Float32Array.from(data);
    case "int32":
    case "int8":
      return Int32Array.from(data);
    case "uint32":
    case "uint8":
      return Uint32Array.from(data);
  }
}

/**
 * Host data of `dtype` from the bytes of a GPU buffer holding `length` words.
 *
 * @example
 * ```ts
 * fromGpuWords(new Int32Array([-1]).buffer, "int8", 1); // Int8Array [-1]
 * ```
 */
export function fromGpuWords(bytes: ArrayBuffer, dtype: GpuDType, length: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(bytes, 0, length).slice();
    case "int32":
      return new Int32Array(bytes, 0, length).slice();
    case "uint32":
      return new Uint32Array(bytes, 0, length).slice();
    case "int8":
      return Int8Array.from(new Int32Array(bytes, 0, length));
    case "uint8":
      return Uint8Array.from(new Uint32Array(bytes, 0, length));
  }
}
