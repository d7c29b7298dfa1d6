// The safetensors reader: parses and validates the JSON header of a file held in memory.
// It never copies tensor data; ./tensor-data.ts returns views of it on demand.
import { type BytesLike, toBytes } from "./bytes.js";
import { resolveSafetensorsCaps, type SafetensorsCaps } from "./caps.js";
import { isSafetensorsDtype, safetensorsDtype, type SafetensorsDtype } from "./dtypes.js";
import { SafetensorsError } from "./errors.js";

/**
 * Options for {@link parseSafetensors}.
 *
 * @example
 * ```ts
 * parseSafetensors(bytes, { caps: { maxTensorCount: 10_000 } });
 * ```
 */
export interface SafetensorsReadOptions {
  /** Caps to override; the rest come from DEFAULT_SAFETENSORS_CAPS. */
  readonly caps?: Partial<SafetensorsCaps>;
}

/**
 * One tensor of a file.
 *
 * @example
 * ```ts
 * // { name: "model.norm.weight", dtype: "BF16", shape: [2560], dataOffsets: [0, 5120],
 * //   byteOffset: 128, byteLength: 5120, elementCount: 2560 }
 * ```
 */
export interface SafetensorsTensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  /** Row-major ("C" order), outermost first. `[]` is a scalar. */
  readonly shape: readonly number[];
  /** `[begin, end)` relative to the data buffer, as in the header. */
  readonly dataOffsets: readonly [number, number];
  /** Absolute offset of the first byte in the file. */
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly elementCount: number;
}

/**
 * A validated header without the data: what {@link parseSafetensorsHeader} returns for a
 * file too large to hold in memory (read tensors by `byteOffset`/`byteLength` yourself, or
 * with `openSafetensorsFile` from `./node`).
 *
 * @example
 * ```ts
 * const h = parseSafetensorsHeader(first8PlusN, fileSize);
 * h.tensors[0]?.byteOffset; // absolute offset in the file
 * ```
 */
export interface SafetensorsHeader {
  /** `N`, the header length in bytes (padding included). */
  readonly headerByteLength: number;
  /** Absolute offset of the data buffer (8 + N). */
  readonly dataOffset: number;
  /** The file's size in bytes (8 + N + the data buffer). */
  readonly fileSize: number;
  /** The `__metadata__` string map, or undefined when the header has none. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
  /** Every tensor, in data order (by offset). */
  readonly tensors: readonly SafetensorsTensorInfo[];
  /** The same tensors by name. */
  readonly tensorsByName: ReadonlyMap<string, SafetensorsTensorInfo>;
}

/**
 * A parsed safetensors file: the validated header plus the bytes it describes.
 *
 * @example
 * ```ts
 * const file = parseSafetensors(bytes);
 * file.metadata;              // { format: "pt" } (or undefined)
 * file.tensors.map((t) => t.name);
 * file.dataOffset;            // 8 + header length
 * ```
 */
export interface SafetensorsFile extends SafetensorsHeader {
  /** The whole file; tensor views point into it. */
  readonly bytes: Uint8Array;
}

const METADATA_KEY = "__metadata__";

/**
 * Parses and validates a safetensors file held in memory, with the Rust reference
 * reader's checks in its order: header length (HeaderTooSmall, HeaderTooLarge,
 * InvalidHeaderLength), UTF-8 (InvalidHeader), JSON and field types
 * (InvalidHeaderDeserialization), the offset walk — tensors sorted by offsets must tile
 * the data buffer from 0 with no gap and no overlap (InvalidOffset) — sizes against
 * dtype × shape (ValidationOverflow, MisalignedSlice, TensorInvalidInfo), and no
 * trailing bytes (MetadataIncompleteBuffer). The caps are checked too (CapExceeded).
 * A key repeated in the JSON keeps its last value (as JSON.parse does); a repeated
 * tensor then leaves a gap the offset walk rejects unless both entries are identical.
 *
 * @throws SafetensorsError naming the check that failed.
 * @example
 * ```ts
 * const file = parseSafetensors(writeSafetensors({ tensors: { x: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } } }));
 * file.tensors[0]; // { name: "x", dtype: "F32", shape: [2], dataOffsets: [0, 8], byteOffset: 64, byteLength: 8, elementCount: 2 }
 * ```
 */
export function parseSafetensors(input: BytesLike, options: SafetensorsReadOptions = {}): SafetensorsFile {
  const bytes = toBytes(input, "parseSafetensors");
  return Object.freeze({ ...parseSafetensorsHeader(bytes, bytes.length, options), bytes });
}

/**
 * The byte length of the header region (8 + N) a file starting with `first8` declares,
 * after the HeaderTooSmall / HeaderTooLarge / InvalidHeaderLength checks against
 * `fileSize`: how much to read before {@link parseSafetensorsHeader}.
 *
 * @throws SafetensorsError for a file shorter than 8 bytes or a header length over the cap or past the end.
 * @example
 * ```ts
 * safetensorsHeaderLength(bytes.subarray(0, 8), bytes.length); // 8 + N
 * ```
 */
export function safetensorsHeaderLength(input: BytesLike, fileSize: number, options: SafetensorsReadOptions = {}): number {
  const first8 = toBytes(input, "safetensorsHeaderLength");
  const caps = resolveSafetensorsCaps(options.caps);
  if (fileSize < 8 || first8.length < 8) {
    throw new SafetensorsError("HeaderTooSmall", `the file has ${Math.min(fileSize, first8.length)} bytes; the header length alone needs 8`, 0);
  }
  const n64 = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(caps.maxHeaderBytes)) {
    throw new SafetensorsError("HeaderTooLarge", `the header claims ${n64} bytes; the cap is ${caps.maxHeaderBytes}`, 0);
  }
  const n = Number(n64);
  if (8 + n > fileSize) {
    throw new SafetensorsError("InvalidHeaderLength", `the header claims ${n} bytes but only ${fileSize - 8} follow the length`, 0);
  }
  return 8 + n;
}

/**
 * Parses and validates the header of a file of `fileSize` bytes from its first bytes
 * (`prefix` must hold at least the 8 + N bytes {@link safetensorsHeaderLength} gives), with
 * every check of {@link parseSafetensors}; the data itself is not needed.
 *
 * @throws SafetensorsError naming the check that failed.
 * @example
 * ```ts
 * const h = parseSafetensorsHeader(bytes.subarray(0, 4096), bytes.length);
 * ```
 */
export function parseSafetensorsHeader(input: BytesLike, fileSize: number, options: SafetensorsReadOptions = {}): SafetensorsHeader {
  const prefix = toBytes(input, "parseSafetensorsHeader");
  const caps = resolveSafetensorsCaps(options.caps);
  const headerEnd = safetensorsHeaderLength(prefix, fileSize, options);
  const n = headerEnd - 8;
  if (prefix.length < headerEnd) throw new SafetensorsError("InvalidInput", `parseSafetensorsHeader: the prefix has ${prefix.length} bytes; the header needs ${headerEnd}`);
  const bytes = prefix;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError("InvalidHeader", "the header is not valid UTF-8", 8);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError("InvalidHeaderDeserialization", `the header is not JSON (${(e as Error).message})`, 8);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SafetensorsError("InvalidHeaderStart", "the header must be a JSON object", 8);
  }

  let metadata: Record<string, string> | undefined;
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      metadata = readMetadata(value);
      continue;
    }
    if (entries.length >= caps.maxTensorCount) {
      throw new SafetensorsError("CapExceeded", `more than ${caps.maxTensorCount} tensors (maxTensorCount)`, 8);
    }
    entries.push(readTensorEntry(name, value, caps));
  }

  // The offset walk: sorted by (begin, end), each tensor must start where the last ended.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataOffset = 8 + n;
  const tensors: SafetensorsTensorInfo[] = [];
  let start = 0;
  for (const e of entries) {
    if (e.begin !== start || e.end < e.begin) {
      throw new SafetensorsError(
        "InvalidOffset",
        `tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] ` +
          (e.end < e.begin ? "end before begin" : e.begin < start ? `overlap the previous tensor, which ends at ${start}` : `leave a gap: expected begin ${start}`),
        dataOffset + Math.min(e.begin, start),
      );
    }
    start = e.end;
    let elementCount = 1;
    for (const d of e.shape) elementCount *= d;
    const bits = safetensorsDtype(e.dtype).bits;
    if (!Number.isSafeInteger(elementCount) || !Number.isSafeInteger(elementCount * bits)) {
      throw new SafetensorsError("ValidationOverflow", `tensor ${JSON.stringify(e.name)}: shape [${e.shape.join(", ")}] × ${bits} bits overflows`);
    }
    if ((elementCount * bits) % 8 !== 0) {
      throw new SafetensorsError(
        "MisalignedSlice",
        `tensor ${JSON.stringify(e.name)}: ${elementCount} elements × ${bits} bits (${e.dtype}) is not a whole number of bytes`,
      );
    }
    const byteLength = (elementCount * bits) / 8;
    if (e.end - e.begin !== byteLength) {
      throw new SafetensorsError(
        "TensorInvalidInfo",
        `tensor ${JSON.stringify(e.name)}: ${e.dtype} [${e.shape.join(", ")}] needs ${byteLength} bytes but data_offsets span ${e.end - e.begin}`,
        dataOffset + e.begin,
      );
    }
    tensors.push(
      Object.freeze({
        name: e.name,
        dtype: e.dtype,
        shape: Object.freeze(e.shape),
        dataOffsets: Object.freeze([e.begin, e.end] as const),
        byteOffset: dataOffset + e.begin,
        byteLength,
        elementCount,
      }),
    );
  }
  if (dataOffset + start !== fileSize) {
    throw new SafetensorsError(
      "MetadataIncompleteBuffer",
      `the tensors end at byte ${dataOffset + start} but the file has ${fileSize} bytes (no trailing bytes are allowed)`,
      dataOffset + start,
    );
  }
  return Object.freeze({
    headerByteLength: n,
    dataOffset,
    fileSize,
    metadata: metadata === undefined ? undefined : Object.freeze(metadata),
    tensors: Object.freeze(tensors),
    tensorsByName: new Map(tensors.map((t) => [t.name, t])),
  });
}

function readMetadata(value: unknown): Record<string, string> | undefined {
  if (value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new SafetensorsError("InvalidHeaderDeserialization", "__metadata__ must be an object of strings", 8);
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") {
      throw new SafetensorsError("InvalidHeaderDeserialization", `__metadata__[${JSON.stringify(k)}] must be a string, got ${typeof v}`, 8);
    }
    out[k] = v;
  }
  return out;
}

function readTensorEntry(
  name: string,
  value: unknown,
  caps: SafetensorsCaps,
): { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number } {
  const bad = (what: string): SafetensorsError =>
    new SafetensorsError("InvalidHeaderDeserialization", `tensor ${JSON.stringify(name)}: ${what}`, 8);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad("the entry must be an object");
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== "string" || !isSafetensorsDtype(dtype)) throw bad(`unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape)) throw bad("shape must be an array");
  if (shape.length > caps.maxDims) {
    throw new SafetensorsError("CapExceeded", `tensor ${JSON.stringify(name)}: ${shape.length} dimensions (maxDims ${caps.maxDims})`, 8);
  }
  const dims: number[] = [];
  for (const d of shape as unknown[]) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) throw bad(`shape entries must be non-negative integers, got ${JSON.stringify(d)}`);
    dims.push(d);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2) throw bad("data_offsets must be [begin, end]");
  const [begin, end] = offsets as unknown[];
  for (const o of [begin, end]) {
    if (typeof o !== "number" || !Number.isSafeInteger(o) || o < 0) throw bad(`data_offsets must be non-negative integers, got ${JSON.stringify(o)}`);
  }
  return { name, dtype, shape: dims, begin: begin as number, end: end as number };
}
