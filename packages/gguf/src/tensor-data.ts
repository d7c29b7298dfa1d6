// Access to one tensor's data in a parsed file: its raw bytes, or its values as f32.
// It does not parse headers (./reader.ts) and decodes only the types in ./codecs.
import { type BytesLike, toBytes } from "./bytes.js";
import { swapTensorBytes } from "./byte-order.js";
import { DECODERS, dequantize as decodeType, hasDecoder } from "./codecs/dequantize.js";
import { GgufError } from "./errors.js";
import type { GgufFile, GgufTensorInfo } from "./reader.js";

/**
 * The tensor-table entry named `name`; a {@link GgufError} if there is none.
 *
 * @example
 * ```ts
 * findTensor(file, "output_norm.weight").shape; // [256]
 * ```
 */
export function findTensor(file: GgufFile, name: string): GgufTensorInfo {
  const t = file.tensors.find((x) => x.name === name);
  if (t === undefined) throw new GgufError(`no tensor named ${JSON.stringify(name)} (the file has ${file.tensors.length} tensors)`);
  return t;
}

/**
 * The raw bytes of tensor `name`, as stored in the file (a view into `bytes`, not a
 * copy). `bytes` must be the file `file` was parsed from.
 *
 * @example
 * ```ts
 * const file = parseGguf(bytes);
 * tensorData(file, bytes, "blk.0.attn_q.weight").length; // 16896 (256 x 256 TQ2_0: 256 blocks of 66 bytes)
 * ```
 */
export function tensorData(file: GgufFile, input: BytesLike, name: string): Uint8Array {
  const bytes = toBytes(input, "tensorData");
  const t = findTensor(file, name);
  const start = file.dataOffset + t.offset;
  const end = start + t.byteLength;
  if (bytes.length !== file.fileSize) {
    throw new GgufError(`tensorData: the buffer has ${bytes.length} bytes but the parsed file has ${file.fileSize}; pass the bytes the file was parsed from`);
  }
  if (end > bytes.length) throw new GgufError(`tensor ${JSON.stringify(name)} data [${start}, ${end}) runs past the end of the buffer (${bytes.length} bytes)`, start);
  return bytes.subarray(start, end);
}

/**
 * The values of tensor `name` as a new `Float32Array` (row-major, `shape` order), for
 * F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K, TQ1_0,
 * TQ2_0 and I2_S tensors, byte-exact with ggml's dequantization. Big-endian files are
 * read for the types whose byte order {@link swapTensorBytes} knows. Other types give a
 * {@link GgufError} naming the type.
 *
 * @example
 * ```ts
 * const bytes = writeGguf({ tensors: [{ name: "w", shape: [2], type: "F16", values: new Float32Array([1, 0.5]) }] });
 * dequantize(parseGguf(bytes), bytes, "w"); // Float32Array [1, 0.5]
 * ```
 */
export function dequantize(file: GgufFile, input: BytesLike, name: string): Float32Array {
  const bytes = toBytes(input, "dequantize");
  const t = findTensor(file, name);
  if (!hasDecoder(t.type)) {
    throw new GgufError(`cannot dequantize tensor ${JSON.stringify(name)} of type ${t.type}; supported: ${Object.keys(DECODERS).join(", ")}`);
  }
  const raw = tensorData(file, bytes, name);
  const data = file.littleEndian ? raw : swapTensorBytes(t.type, raw);
  try {
    return decodeType(t.type, data, t.elementCount);
  } catch (e) {
    // Only I2_S can get here (a count not a multiple of 128); block types are checked by the reader.
    throw new GgufError(`cannot dequantize tensor ${JSON.stringify(name)}: ${e instanceof GgufError ? e.reason : e instanceof Error ? e.message : String(e)}`);
  }
}
