// The GGUF writer: metadata, tensor table and aligned tensor data into one version-3 file.
// It validates everything it writes; it does not stream (see README for sizes).
import { canSwapTensorBytes, swapTensorBytes } from "./byte-order.js";
import { ByteSink } from "./byte-sink.js";
import { FLOAT_CODECS, hasCodec, type CodecTypeName } from "./codecs/table.js";
import { GgufError } from "./errors.js";
import { ggmlByteLength, ggmlType, isGgmlTypeName, type GgmlTypeInfo, type GgmlTypeName } from "./ggml-types.js";
import { GGUF_VALUE_TYPE_IDS, scalarProblem, type GgufArrayValue, type GgufValue } from "./metadata.js";
import { alignUp, GGUF_DEFAULT_ALIGNMENT, utf8Length } from "./reader.js";
import { DEFAULT_CAPS } from "./caps.js";
import { GGUF_TYPED_ARRAYS } from "./typed-arrays.js";

/**
 * A tensor given as encoded bytes in ggml's little-endian layout (what the codecs produce).
 *
 * @example
 * ```ts
 * const t: GgufTensorBytes = { name: "w", shape: [4, 256], type: "TQ2_0", bytes: encodeTQ2_0(values) };
 * ```
 */
export interface GgufTensorBytes {
  readonly name: string;
  /** Outermost first; written reversed as GGUF's `ne`. */
  readonly shape: readonly number[];
  readonly type: GgmlTypeName;
  readonly bytes: Uint8Array;
}

/**
 * A tensor given as f32 values (row-major in `shape` order), encoded by the writer to `type`.
 *
 * @example
 * ```ts
 * const t: GgufTensorValues = { name: "norm", shape: [256], type: "F32", values: new Float32Array(256).fill(1) };
 * ```
 */
export interface GgufTensorValues {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: CodecTypeName;
  readonly values: Float32Array;
}

/**
 * A tensor to write: encoded bytes, or values plus a target type.
 *
 * @example
 * ```ts
 * const t: GgufTensorInput = { name: "norm", shape: [2], type: "F16", values: new Float32Array([1, 2]) };
 * ```
 */
export type GgufTensorInput = GgufTensorBytes | GgufTensorValues;

/**
 * Metadata as an object (key order = property order) or as `[key, value]` pairs (a Map, an array).
 *
 * @example
 * ```ts
 * const m: GgufMetadataInput = [["general.architecture", str("bitnet")], ["bitnet.block_count", u32(2)]];
 * ```
 */
export type GgufMetadataInput = Readonly<Record<string, GgufValue>> | Iterable<readonly [string, GgufValue]>;

/**
 * What {@link writeGguf} writes.
 *
 * @example
 * ```ts
 * const input: GgufWriteInput = { metadata: { "general.name": str("tiny") }, tensors: [], alignment: 32 };
 * ```
 */
export interface GgufWriteInput {
  readonly metadata?: GgufMetadataInput;
  readonly tensors?: readonly GgufTensorInput[];
  /**
   * Data alignment, a power of two (default 32, or `general.alignment` when the metadata
   * has it). A value other than 32 is also written as `general.alignment` (u32).
   */
  readonly alignment?: number;
  /**
   * Write a big-endian file (default false). llama.cpp reads only little-endian files;
   * this exists for big-endian consumers and for testing readers. Tensor input stays
   * little-endian; the writer converts it.
   */
  readonly littleEndian?: boolean;
}

/** A tensor after validation: its `ne`, type and little-endian bytes. */
export interface PreparedTensor {
  readonly name: string;
  readonly nameBytes: Uint8Array;
  readonly ne: readonly number[];
  readonly type: GgmlTypeInfo;
  readonly bytes: Uint8Array;
}

let utf8: InstanceType<typeof TextEncoder> | undefined;
function encodeUtf8(s: string): Uint8Array {
  utf8 ??= new TextEncoder();
  return utf8.encode(s);
}

/** The largest key GGUF allows (u16 range, per the GGUF spec). */
const MAX_KEY_BYTES = 65535;

/**
 * Checks one metadata entry; throws a {@link GgufError} naming the key and the problem.
 *
 * @example
 * ```ts
 * checkMetadataEntry("general.alignment", u32(32)); // ok
 * checkMetadataEntry("x", { type: "u8", value: 300 }); // throws: metadata "x": 300 is outside u8's range 0..255
 * ```
 */
export function checkMetadataEntry(key: string, value: GgufValue): void {
  const label = `metadata ${JSON.stringify(key)}`;
  if (typeof key !== "string") throw new GgufError(`metadata key ${String(key)} is not a string`);
  const keyProblem = scalarProblem("string", key);
  if (keyProblem !== undefined) throw new GgufError(`${label}: key ${keyProblem}`);
  if (utf8Length(key) > MAX_KEY_BYTES) throw new GgufError(`${label}: key is longer than ${MAX_KEY_BYTES} bytes`);
  checkValue(label, value);
  if (key === "general.alignment") {
    if (value.type !== "u32") throw new GgufError(`${label} must be u32 (llama.cpp refuses other types), got ${value.type}`);
    if (value.value === 0 || (value.value & (value.value - 1)) !== 0) throw new GgufError(`${label} must be a power of two, got ${value.value}`);
  }
}

function checkValue(label: string, value: GgufValue): void {
  if (typeof value !== "object" || value === null) throw new GgufError(`${label}: value must be a tagged GGUF value such as u32(1), got ${String(value)}`);
  if (value.type === "array") {
    checkArray(label, value);
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(GGUF_VALUE_TYPE_IDS, value.type)) throw new GgufError(`${label}: unknown value type ${JSON.stringify(value.type)}`);
  const problem = scalarProblem(value.type, value.value);
  if (problem !== undefined) throw new GgufError(`${label}: ${problem}`);
  if (value.type === "string") checkStringLength(label, value.value);
}

/** The writer refuses what the reader (with its default caps) would refuse: strings longer than maxStringBytes. */
function checkStringLength(label: string, s: string): void {
  if (s.length > DEFAULT_CAPS.maxStringBytes / 3 && utf8Length(s) > DEFAULT_CAPS.maxStringBytes) {
    throw new GgufError(`${label}: a string of ${utf8Length(s)} bytes is above the readers' cap maxStringBytes = ${DEFAULT_CAPS.maxStringBytes}`);
  }
}

function checkArray(label: string, value: GgufArrayValue): void {
  const length = (value.value as { length?: unknown } | null)?.length;
  if (typeof length === "number" && length > DEFAULT_CAPS.maxArrayLength) {
    throw new GgufError(`${label}: an array of ${length} elements is above the readers' cap maxArrayLength = ${DEFAULT_CAPS.maxArrayLength}`);
  }
  switch (value.itemType) {
    case "array":
      throw new GgufError(`${label}: arrays of arrays are not written (llama.cpp rejects them)`);
    case "string":
    case "bool": {
      if (!Array.isArray(value.value)) throw new GgufError(`${label}: an array of ${value.itemType} must hold a plain array`);
      const items: readonly unknown[] = value.value;
      for (let i = 0; i < items.length; i++) {
        const problem = scalarProblem(value.itemType, items[i]);
        if (problem !== undefined) throw new GgufError(`${label}[${i}]: ${problem}`);
        if (value.itemType === "string") checkStringLength(`${label}[${i}]`, items[i] as string);
      }
      return;
    }
    default: {
      const cls = GGUF_TYPED_ARRAYS[value.itemType];
      if (cls === undefined) throw new GgufError(`${label}: unknown array element type ${JSON.stringify(value.itemType)}`);
      if (!(value.value instanceof cls)) throw new GgufError(`${label}: an array of ${value.itemType} must hold a ${cls.name}`);
    }
  }
}

/**
 * Validates a tensor and returns its `ne`, type and little-endian bytes (encoding
 * `values` if given). Throws a {@link GgufError} for a bad name, shape, type or length,
 * or (when `littleEndian` is false) a type whose byte order cannot be converted.
 *
 * @example
 * ```ts
 * prepareTensor({ name: "n", shape: [2, 256], type: "TQ1_0", values: new Float32Array(512) }).bytes.length; // 108
 * ```
 */
export function prepareTensor(t: GgufTensorInput, littleEndian = true): PreparedTensor {
  const label = `tensor ${JSON.stringify(t.name)}`;
  const nameProblem = scalarProblem("string", t.name);
  if (nameProblem !== undefined) throw new GgufError(`${label}: name ${nameProblem}`);
  const nameBytes = encodeUtf8(t.name);
  if (nameBytes.length >= 64) throw new GgufError(`${label}: name is ${nameBytes.length} bytes; llama.cpp needs fewer than 64`);
  // a separate binding: Array.isArray narrows t.shape to any[]
  const shape: readonly number[] = t.shape;
  if (!Array.isArray(t.shape) || shape.length < 1 || shape.length > 4) {
    throw new GgufError(`${label}: shape must have 1 to 4 dimensions, got ${JSON.stringify(t.shape)}`);
  }
  let elements = 1;
  for (const n of shape) {
    if (!Number.isSafeInteger(n) || n < 1) throw new GgufError(`${label}: shape ${JSON.stringify(t.shape)} has ${n}; dimensions must be positive integers`);
    elements *= n;
    if (!Number.isSafeInteger(elements)) throw new GgufError(`${label}: shape ${JSON.stringify(t.shape)} has more than 2^53 - 1 elements`);
  }
  if (typeof t.type !== "string" || !isGgmlTypeName(t.type)) throw new GgufError(`${label}: unknown ggml type ${JSON.stringify(t.type)}`);
  const type = ggmlType(t.type);
  if (!littleEndian && !canSwapTensorBytes(t.type)) {
    throw new GgufError(`${label}: cannot write ${t.type} data to a big-endian file (its block layout is not known here)`);
  }
  const ne = [...shape].reverse();
  if (ne[0] % type.blockSize !== 0) {
    throw new GgufError(`${label}: the row length (last dimension of shape, ne[0]) ${ne[0]} is not a multiple of ${type.name}'s block size ${type.blockSize}`);
  }
  const expectedBytes = ggmlByteLength(type.name, elements);
  let bytes: Uint8Array;
  if ("values" in t) {
    if (!(t.values instanceof Float32Array)) throw new GgufError(`${label}: values must be a Float32Array`);
    if (!hasCodec(t.type)) throw new GgufError(`${label}: cannot encode values to ${String(t.type)}; give encoded bytes, or one of ${Object.keys(FLOAT_CODECS).join(", ")}`);
    if (t.values.length !== elements) throw new GgufError(`${label}: ${t.values.length} values for shape ${JSON.stringify(t.shape)} (${elements} elements)`);
    try {
      bytes = FLOAT_CODECS[t.type].encode(t.values);
    } catch (e) {
      throw new GgufError(`${label}: ${e instanceof GgufError ? e.reason : e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    if (!(t.bytes instanceof Uint8Array)) throw new GgufError(`${label}: give either bytes (a Uint8Array) or values (a Float32Array)`);
    bytes = t.bytes;
  }
  if (bytes.length !== expectedBytes) {
    throw new GgufError(`${label}: ${bytes.length} bytes, but shape ${JSON.stringify(t.shape)} of ${type.name} takes ${expectedBytes}`);
  }
  return { name: t.name, nameBytes, ne, type, bytes };
}

function metadataEntries(metadata: GgufMetadataInput | undefined): (readonly [string, GgufValue])[] {
  if (metadata === undefined) return [];
  if (Symbol.iterator in metadata) return Array.from(metadata as Iterable<readonly [string, GgufValue]>);
  return Object.entries(metadata);
}

/**
 * Writes a GGUF version-3 file: header, metadata in the given order, the tensor table,
 * then each tensor's data in table order, every tensor (the last one too) padded with
 * zeros to the alignment. Offsets are relative to the data section, as llama.cpp
 * requires. Throws a {@link GgufError} for duplicate keys or tensor names, names of 64
 * bytes or more, bad values, shapes or byte lengths.
 *
 * @example
 * ```ts
 * const bytes = writeGguf({
 *   metadata: { "general.architecture": str("bitnet"), "bitnet.block_count": u32(1) },
 *   tensors: [{ name: "output_norm.weight", shape: [256], type: "F32", values: new Float32Array(256).fill(1) }],
 * });
 * parseGguf(bytes).tensors[0]; // { name: "output_norm.weight", shape: [256], type: "F32", offset: 0, byteLength: 1024, ... }
 * ```
 */
export function writeGguf(input: GgufWriteInput): Uint8Array {
  const entries = metadataEntries(input.metadata);
  if (entries.length + 1 > DEFAULT_CAPS.maxKvCount) throw new GgufError(`${entries.length} metadata entries are above the readers' cap maxKvCount = ${DEFAULT_CAPS.maxKvCount}`);
  if ((input.tensors?.length ?? 0) > DEFAULT_CAPS.maxTensorCount) {
    throw new GgufError(`${input.tensors?.length ?? 0} tensors are above the readers' cap maxTensorCount = ${DEFAULT_CAPS.maxTensorCount}`);
  }
  const keys = new Set<string>();
  for (const [key, value] of entries) {
    if (keys.has(key)) throw new GgufError(`duplicate metadata key ${JSON.stringify(key)}`);
    keys.add(key);
    checkMetadataEntry(key, value);
  }
  const alignment = resolveAlignment(entries, input.alignment);
  if (alignment !== GGUF_DEFAULT_ALIGNMENT && !keys.has("general.alignment")) {
    entries.push(["general.alignment", { type: "u32", value: alignment }]);
  }

  const littleEndian = input.littleEndian ?? true;
  const tensors = (input.tensors ?? []).map((t) => prepareTensor(t, littleEndian));
  const names = new Set<string>();
  for (const t of tensors) {
    if (names.has(t.name)) throw new GgufError(`duplicate tensor name ${JSON.stringify(t.name)}`);
    names.add(t.name);
  }
  return assemble(entries, tensors, alignment, littleEndian);
}

function resolveAlignment(entries: readonly (readonly [string, GgufValue])[], requested: number | undefined): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > 0x80000000 || (requested & (requested - 1)) !== 0)) {
    throw new GgufError(`alignment must be a power of two that fits in u32, got ${requested}`);
  }
  const entry = entries.find(([k]) => k === "general.alignment");
  if (entry === undefined) return requested ?? GGUF_DEFAULT_ALIGNMENT;
  const value = entry[1];
  if (value.type !== "u32") throw new GgufError(`general.alignment must be u32, got ${value.type}`);
  const fromMetadata = value.value;
  if (requested !== undefined && requested !== fromMetadata) {
    throw new GgufError(`alignment ${requested} differs from the metadata's general.alignment ${fromMetadata}`);
  }
  return fromMetadata;
}

/** Lays out header and data; inputs are already validated. */
export function assemble(
  entries: readonly (readonly [string, GgufValue])[],
  tensors: readonly PreparedTensor[],
  alignment: number,
  littleEndian: boolean,
): Uint8Array {
  const head = new ByteSink(littleEndian);
  head.bytes(new Uint8Array([0x47, 0x47, 0x55, 0x46]));
  head.u32(3);
  head.u64(BigInt(tensors.length));
  head.u64(BigInt(entries.length));
  for (const [key, value] of entries) {
    writeString(head, key);
    head.u32(GGUF_VALUE_TYPE_IDS[value.type]);
    writeValue(head, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    head.u64(BigInt(t.nameBytes.length));
    head.bytes(t.nameBytes);
    head.u32(t.ne.length);
    for (const n of t.ne) head.u64(BigInt(n));
    head.u32(t.type.id);
    head.u64(BigInt(offset));
    offsets.push(offset);
    offset += alignUp(t.bytes.length, alignment);
  }
  const header = head.result();
  const dataOffset = alignUp(header.length, alignment);
  const out = new Uint8Array(dataOffset + offset); // zero-filled, so all padding is zeros
  out.set(header, 0);
  tensors.forEach((t, i) => {
    out.set(littleEndian ? t.bytes : swapTensorBytes(t.type.name, t.bytes), dataOffset + offsets[i]);
  });
  return out;
}

function writeString(sink: ByteSink, s: string): void {
  const bytes = encodeUtf8(s);
  sink.u64(BigInt(bytes.length));
  sink.bytes(bytes);
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case "u8":
      return sink.u8(v.value);
    case "i8":
      return sink.i8(v.value);
    case "u16":
      return sink.u16(v.value);
    case "i16":
      return sink.i16(v.value);
    case "u32":
      return sink.u32(v.value);
    case "i32":
      return sink.i32(v.value);
    case "f32":
      return sink.f32(v.value);
    case "f64":
      return sink.f64(v.value);
    case "u64":
      return sink.u64(v.value);
    case "i64":
      return sink.i64(v.value);
    case "bool":
      return sink.u8(v.value ? 1 : 0);
    case "string":
      return writeString(sink, v.value);
    case "array":
      return writeArray(sink, v);
  }
}

function writeArray(sink: ByteSink, v: GgufArrayValue): void {
  sink.u32(GGUF_VALUE_TYPE_IDS[v.itemType]);
  sink.u64(BigInt(v.value.length));
  switch (v.itemType) {
    case "u8":
      for (const x of v.value) sink.u8(x);
      return;
    case "i8":
      for (const x of v.value) sink.i8(x);
      return;
    case "u16":
      for (const x of v.value) sink.u16(x);
      return;
    case "i16":
      for (const x of v.value) sink.i16(x);
      return;
    case "u32":
      for (const x of v.value) sink.u32(x);
      return;
    case "i32":
      for (const x of v.value) sink.i32(x);
      return;
    case "f32":
      for (const x of v.value) sink.f32(x);
      return;
    case "f64":
      for (const x of v.value) sink.f64(x);
      return;
    case "u64":
      for (const x of v.value) sink.u64(x);
      return;
    case "i64":
      for (const x of v.value) sink.i64(x);
      return;
    case "bool":
      for (const x of v.value) sink.u8(x ? 1 : 0);
      return;
    case "string":
      for (const x of v.value) writeString(sink, x);
      return;
    case "array":
      for (const x of v.value) writeArray(sink, x);
      return;
  }
}
