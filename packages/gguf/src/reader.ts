// The GGUF reader: parses the header (metadata and tensor table) of a file held in memory.
// It never copies tensor data; tensorData/dequantize (./tensor-data.ts) read it on demand.
import { type BytesLike, toBytes } from "./bytes.js";
import { resolveCaps, type GgufCaps } from "./caps.js";
import { ByteCursor } from "./cursor.js";
import { GgufError } from "./errors.js";
import { ggmlTypeById, RETIRED_GGML_TYPE_IDS, type GgmlTypeName } from "./ggml-types.js";
import { ggufValueTypeById, type GgufArrayValue, type GgufValue, type GgufValueType } from "./metadata.js";

/**
 * Options for {@link parseGguf} and the streaming reader.
 *
 * @example
 * ```ts
 * parseGguf(bytes, { strict: false, caps: { maxArrayLength: 100_000 } });
 * ```
 */
export interface GgufReadOptions {
  /**
   * Apply llama.cpp's rules beyond the GGUF spec (default true): tensor offsets must be
   * exactly the running sum of aligned tensor sizes, tensor names shorter than 64 bytes,
   * no arrays of arrays. With `false`, offsets need only be aligned, in the file and
   * non-overlapping.
   */
  readonly strict?: boolean;
  /** Caps to override; the rest come from DEFAULT_CAPS. */
  readonly caps?: Partial<GgufCaps>;
}

/**
 * One entry of the tensor table.
 *
 * `shape` is in this library's order, outermost dimension first: it is GGUF's `ne`
 * reversed (ne[0], the contiguous row length, is the last entry of `shape`). A PyTorch
 * Linear weight (out, in) has shape [out, in] here and ne [in, out] in the file.
 *
 * @example
 * ```ts
 * // { name: "blk.0.ffn_down.weight", shape: [256, 512], ne: [512, 256], type: "TQ2_0",
 * //   typeId: 35, offset: 0, byteLength: 33792, elementCount: 131072 }
 * ```
 */
export interface GgufTensorInfo {
  readonly name: string;
  /** Outermost first: `ne` reversed. */
  readonly shape: readonly number[];
  /** GGUF order: ne[0] is the contiguous (fastest-varying) dimension. */
  readonly ne: readonly number[];
  readonly type: GgmlTypeName;
  readonly typeId: number;
  /** Byte offset relative to the start of the data section. */
  readonly offset: number;
  readonly byteLength: number;
  readonly elementCount: number;
}

/**
 * A parsed GGUF header.
 *
 * @example
 * ```ts
 * const file = parseGguf(bytes);
 * file.version;                                        // 3
 * file.metadata.get("general.architecture");           // { type: "string", value: "bitnet" }
 * file.tensors[0]?.name;                                // "token_embd.weight"
 * file.dataOffset % file.alignment;                     // 0 (dataOffset is absolute)
 * ```
 */
export interface GgufFile {
  readonly version: 2 | 3;
  /** False for a big-endian file (its version field reads as 0x03000000 little-endian). */
  readonly littleEndian: boolean;
  /** Every key/value pair in file order, each value tagged with its GGUF type. */
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  /** `general.alignment`, or 32 when the key is absent. */
  readonly alignment: number;
  /** Absolute byte offset of the data section. */
  readonly dataOffset: number;
  /** Bytes of header before the padding that precedes the data section. */
  readonly headerByteLength: number;
  /** Size of the whole file in bytes. */
  readonly fileSize: number;
}

/**
 * The alignment of a file without `general.alignment`.
 *
 * @example
 * ```ts
 * GGUF_DEFAULT_ALIGNMENT; // 32
 * ```
 */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Bytes in the file of one element of each fixed-size value type. */
const FIXED_SIZES: Partial<Record<GgufValueType, number>> = {
  u8: 1, i8: 1, bool: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, u64: 8, i64: 8, f64: 8,
};

/** The byte size of a fixed-size value type; the callers have ruled out strings and arrays. */
function fixedSize(type: GgufValueType): number {
  const size = FIXED_SIZES[type];
  if (size === undefined) throw new GgufError(`GGUF reader: ${type} values have no fixed size`);
  return size;
}

/** Fewest bytes a value of each type can take (a string is its u64 length; an array its type and count). */
function minBytes(type: GgufValueType): number {
  return FIXED_SIZES[type] ?? (type === "string" ? 8 : 12);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses a whole GGUF file held in memory: versions 2 and 3, little- or big-endian.
 * Every size in the file is checked against the bytes that remain and against the
 * caps before anything is allocated; any problem is a {@link GgufError} with its offset.
 * Takes a `Uint8Array`, a Node `Buffer`, an `ArrayBuffer` (what `fetch` gives) or any
 * `ArrayBufferView`; anything else is a {@link GgufError} too.
 *
 * @example
 * ```ts
 * const bytes = writeGguf({ metadata: { "general.architecture": str("bitnet") } });
 * const file = parseGguf(bytes); // or parseGguf(bytes.buffer), parseGguf(Buffer.from(bytes))
 * file.metadata.get("general.architecture"); // { type: "string", value: "bitnet" }
 * file.tensors;                               // []
 * ```
 */
export function parseGguf(input: BytesLike, options: GgufReadOptions = {}): GgufFile {
  const bytes = toBytes(input, "parseGguf");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return parseGgufPrefix(view, bytes.byteLength, options);
}

/**
 * How far a header parse got: the position after the last complete entry and
 * what was read up to there. The streaming reader keeps it between calls so
 * that a parse that ran out of loaded bytes continues where it stopped
 * instead of starting again at byte 0.
 */
export interface GgufPrefixProgress {
  pos: number;
  preamble: { readonly littleEndian: boolean; readonly version: 2 | 3; readonly tensorCount: number; readonly kvCount: number } | null;
  readonly metadata: Map<string, GgufValue>;
  readonly valueOffsets: Map<string, number>;
  readonly tensors: GgufTensorInfo[];
  readonly offsetFieldPos: number[];
  readonly names: Set<string>;
  /** The strings read so far of an incomplete top-level string array (a vocabulary is one entry of millions). */
  partial: { readonly at: number; readonly items: string[]; next: number } | null;
}

/** A parse that has read nothing yet. */
export function newPrefixProgress(): GgufPrefixProgress {
  return { pos: 0, preamble: null, metadata: new Map(), valueOffsets: new Map(), tensors: [], offsetFieldPos: [], names: new Set(), partial: null };
}

/**
 * Parses the header from `view`, the first `view.byteLength` bytes of a file of
 * `fileSize` bytes. Throws NeedMoreBytes (internal) when the header runs past the
 * loaded prefix, so the streaming reader can load more and call it again with
 * the same `progress`: the parse resumes at the first incomplete entry.
 */
export function parseGgufPrefix(view: DataView, fileSize: number, options: GgufReadOptions, progress: GgufPrefixProgress = newPrefixProgress()): GgufFile {
  const strict = options.strict ?? true;
  const caps = resolveCaps(options.caps);
  const c = new ByteCursor(view, fileSize);

  if (progress.preamble === null) {
    const magic = c.bytesView(4, "magic");
    if (magic[0] !== 0x47 || magic[1] !== 0x47 || magic[2] !== 0x55 || magic[3] !== 0x46) {
      const got = Array.from(magic, (b) => b.toString(16).padStart(2, "0")).join(" ");
      throw new GgufError(`magic: expected "GGUF" (47 47 55 46), got ${got}`, 0);
    }

    // A big-endian file's version reads as 0x0N000000 here: its low 16 bits are zero.
    const rawVersion = c.u32("version");
    if (rawVersion !== 0 && (rawVersion & 0xffff) === 0) {
      c.littleEndian = false;
    }
    const version = c.littleEndian ? rawVersion : view.getUint32(4, false);
    if (version === 1) throw new GgufError("version 1 (32-bit counts) is not supported; versions 2 and 3 are", 4);
    if (version !== 2 && version !== 3) throw new GgufError(`unsupported version ${version}; versions 2 and 3 are supported`, 4);

    const tensorCount = readCount(c, "tensor count", caps.maxTensorCount, "maxTensorCount");
    const kvCount = readCount(c, "metadata key/value count", caps.maxKvCount, "maxKvCount");
    const minHeader = kvCount * (8 + 4 + 1) + tensorCount * (8 + 4 + 8 + 4 + 8);
    if (minHeader > c.remaining) {
      throw new GgufError(
        `the header claims ${kvCount} key/value pairs and ${tensorCount} tensors, which need at least ${minHeader} bytes, but only ${c.remaining} remain`,
        c.pos,
      );
    }
    progress.preamble = { littleEndian: c.littleEndian, version, tensorCount, kvCount };
    progress.pos = c.pos;
  } else {
    c.littleEndian = progress.preamble.littleEndian;
    c.pos = progress.pos;
  }
  const { version, tensorCount, kvCount } = progress.preamble;

  const reader = new ValueReader(c, caps, strict, progress);
  const { metadata, valueOffsets } = progress;
  for (let i = metadata.size; i < kvCount; i++) {
    const keyPos = c.pos;
    const key = reader.string(`key of metadata entry ${i}`);
    if (metadata.has(key)) throw new GgufError(`duplicate metadata key ${JSON.stringify(key)}`, keyPos);
    const typePos = c.pos;
    const typeId = c.u32(`value type of ${JSON.stringify(key)}`);
    const type = ggufValueTypeById(typeId);
    if (type === undefined) throw new GgufError(`unknown value type ${typeId} for key ${JSON.stringify(key)} (known: 0..12)`, typePos);
    const valuePos = c.pos;
    const value = reader.value(type, JSON.stringify(key), 0);
    // the entry is complete: commit it
    valueOffsets.set(key, valuePos);
    metadata.set(key, value);
    progress.pos = c.pos;
  }

  let alignment = GGUF_DEFAULT_ALIGNMENT;
  const alignValue = metadata.get("general.alignment");
  if (alignValue !== undefined) {
    const at = valueOffsets.get("general.alignment");
    if (alignValue.type !== "u32") throw new GgufError(`general.alignment must be u32 (llama.cpp refuses other types), got ${alignValue.type}`, at);
    if (alignValue.value === 0 || (alignValue.value & (alignValue.value - 1)) !== 0) {
      throw new GgufError(`general.alignment must be a power of two, got ${alignValue.value}`, at);
    }
    alignment = alignValue.value;
  }

  const { tensors, offsetFieldPos, names } = progress;
  for (let i = tensors.length; i < tensorCount; i++) {
    const namePos = c.pos;
    const name = reader.string(`name of tensor ${i}`);
    if (strict && utf8Length(name) >= 64) throw new GgufError(`tensor name ${JSON.stringify(name)} is ${utf8Length(name)} bytes; llama.cpp needs fewer than 64`, namePos);
    if (names.has(name)) throw new GgufError(`duplicate tensor name ${JSON.stringify(name)}`, namePos);
    const label = `tensor ${JSON.stringify(name)}`;

    const dimsPos = c.pos;
    const nDims = c.u32(`${label} n_dims`);
    if (nDims < 1 || nDims > caps.maxDims) throw new GgufError(`${label} has n_dims ${nDims}; expected 1..${caps.maxDims}`, dimsPos);
    const ne: number[] = [];
    let elements = 1n;
    for (let d = 0; d < nDims; d++) {
      const nePos = c.pos;
      const n = c.i64(`${label} ne[${d}]`);
      if (n <= 0n) throw new GgufError(`${label} has ne[${d}] = ${n}; dimensions must be positive`, nePos);
      elements *= n;
      if (elements > MAX_SAFE) throw new GgufError(`${label} has more than 2^53 - 1 elements (ne up to [${d}] multiply to ${elements})`, nePos);
      ne.push(Number(n));
    }

    const typePos = c.pos;
    const typeId = c.u32(`${label} type`);
    const type = ggmlTypeById(typeId);
    if (type === undefined) {
      const why = RETIRED_GGML_TYPE_IDS.includes(typeId) ? "a retired ggml type" : "an unknown ggml type";
      throw new GgufError(`${label} has type ${typeId}, ${why} (known ids: 0-3, 6-30, 34-36, 39)`, typePos);
    }
    if (ne[0] % type.blockSize !== 0) {
      throw new GgufError(`${label} has ne[0] = ${ne[0]}, not a multiple of ${type.name}'s block size ${type.blockSize}`, dimsPos + 4);
    }
    // I2_S (bitnet.cpp): codes for the whole tensor, then a 32-byte scale tail.
    const byteLength = type.name === "I2_S" ? elements / 4n + 32n : (elements / BigInt(type.blockSize)) * BigInt(type.typeSize);
    if (byteLength > MAX_SAFE) throw new GgufError(`${label} would take ${byteLength} bytes, more than any file can hold`, dimsPos);

    const offsetPos = c.pos;
    const offset = c.u64(`${label} offset`);
    if (offset > MAX_SAFE) throw new GgufError(`${label} has offset ${offset}, beyond any file`, c.pos - 8);
    // the tensor info is complete: commit it
    names.add(name);
    offsetFieldPos.push(offsetPos);
    tensors.push({
      name,
      shape: [...ne].reverse(),
      ne,
      type: type.name,
      typeId,
      offset: Number(offset),
      byteLength: Number(byteLength),
      elementCount: Number(elements),
    });
    progress.pos = c.pos;
  }

  const headerByteLength = c.pos;
  const dataOffset = alignUp(headerByteLength, alignment);
  checkTensorRanges(tensors, offsetFieldPos, alignment, dataOffset, fileSize, strict);

  return { version, littleEndian: c.littleEndian, metadata, tensors, alignment, dataOffset, headerByteLength, fileSize };
}

/** Rounds `n` up to a multiple of `alignment` (a power of two). */
export function alignUp(n: number, alignment: number): number {
  const rest = n % alignment;
  return rest === 0 ? n : n + alignment - rest;
}

/** The number of bytes `s` takes in UTF-8. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

function readCount(c: ByteCursor, what: string, cap: number, capName: string): number {
  const pos = c.pos;
  const n = c.i64(what);
  if (n < 0n) throw new GgufError(`${what} is negative (${n})`, pos);
  if (n > BigInt(cap)) throw new GgufError(`${what} ${n} exceeds the cap ${capName} = ${cap}`, pos);
  return Number(n);
}

function checkTensorRanges(
  tensors: readonly GgufTensorInfo[],
  offsetFieldPos: readonly number[],
  alignment: number,
  dataOffset: number,
  fileSize: number,
  strict: boolean,
): void {
  let expected = 0;
  tensors.forEach((t, i) => {
    const at = offsetFieldPos[i];
    const label = `tensor ${JSON.stringify(t.name)}`;
    if (strict && t.offset !== expected) {
      throw new GgufError(`${label} has offset ${t.offset}, expected ${expected} (llama.cpp requires each tensor right after the previous one, aligned to ${alignment})`, at);
    }
    if (t.offset % alignment !== 0) throw new GgufError(`${label} has offset ${t.offset}, not a multiple of the alignment ${alignment}`, at);
    const end = dataOffset + t.offset + t.byteLength;
    if (end > fileSize) {
      throw new GgufError(`${label} data [${dataOffset + t.offset}, ${end}) runs past the end of the file (${fileSize} bytes)`, at);
    }
    expected = t.offset + alignUp(t.byteLength, alignment);
  });
  if (!strict) {
    const order = tensors.map((t, i) => i).sort((a, b) => tensors[a].offset - tensors[b].offset);
    for (let k = 1; k < order.length; k++) {
      const prev = tensors[order[k - 1]];
      const cur = tensors[order[k]];
      if (cur.offset < prev.offset + prev.byteLength) {
        throw new GgufError(`tensor ${JSON.stringify(cur.name)} at data offset ${cur.offset} overlaps tensor ${JSON.stringify(prev.name)} (ends at ${prev.offset + prev.byteLength})`, offsetFieldPos[order[k]]);
      }
    }
  }
}

let utf8: InstanceType<typeof TextDecoder> | undefined;

/** Reads metadata values (scalars, strings, arrays) at a cursor, enforcing the caps. */
class ValueReader {
  constructor(
    private readonly c: ByteCursor,
    private readonly caps: GgufCaps,
    private readonly strict: boolean,
    private readonly progress?: GgufPrefixProgress,
  ) {}

  string(what: string): string {
    const pos = this.c.pos;
    const n = this.c.u64(`${what} length`);
    if (n > BigInt(this.caps.maxStringBytes)) {
      throw new GgufError(`${what} has length ${n}, above the cap maxStringBytes = ${this.caps.maxStringBytes}`, pos);
    }
    const bytes = this.c.bytesView(Number(n), what);
    // exact: a leading BOM is kept (ignoreBOM) and invalid UTF-8 is an error
    // (fatal), so distinct byte strings never decode to one string
    utf8 ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    try {
      return utf8.decode(bytes);
    } catch {
      throw new GgufError(`${what} is not valid UTF-8 (${Number(n)} bytes); GGUF strings must be UTF-8`, pos);
    }
  }

  value(type: GgufValueType, what: string, depth: number): GgufValue {
    const c = this.c;
    const view = c.data;
    const le = c.littleEndian;
    switch (type) {
      case "string":
        return { type, value: this.string(what) };
      case "array":
        return this.array(what, depth + 1);
      case "bool": {
        const pos = c.pos;
        const b = c.u8(what);
        if (b > 1) throw new GgufError(`${what} is a bool with byte value ${b}; only 0 and 1 are valid`, pos);
        return { type, value: b === 1 };
      }
      case "u64":
      case "i64": {
        c.need(8, what);
        const v = type === "u64" ? view.getBigUint64(c.pos, le) : view.getBigInt64(c.pos, le);
        c.pos += 8;
        return { type, value: v };
      }
      default: {
        const size = fixedSize(type);
        c.need(size, what);
        const v = readNumber(view, c.pos, type, le);
        c.pos += size;
        return { type, value: v };
      }
    }
  }

  private array(what: string, depth: number): GgufArrayValue {
    const c = this.c;
    const start = c.pos;
    if (depth > this.caps.maxArrayDepth) {
      throw new GgufError(`${what} nests arrays ${depth} deep, above the cap maxArrayDepth = ${this.caps.maxArrayDepth}`, start);
    }
    const itemTypeId = c.u32(`${what} element type`);
    const itemType = ggufValueTypeById(itemTypeId);
    if (itemType === undefined) throw new GgufError(`${what} has unknown element type ${itemTypeId} (known: 0..12)`, start);
    if (itemType === "array" && this.strict) {
      throw new GgufError(`${what} is an array of arrays, which llama.cpp rejects (read with strict: false to accept)`, start);
    }
    const countPos = c.pos;
    const count = c.u64(`${what} element count`);
    if (count > BigInt(this.caps.maxArrayLength)) {
      throw new GgufError(`${what} has ${count} elements, above the cap maxArrayLength = ${this.caps.maxArrayLength}`, countPos);
    }
    const n = Number(count);
    const least = n * minBytes(itemType);
    if (least > c.remaining) {
      throw new GgufError(`${what} claims ${n} ${itemType} elements (at least ${least} bytes), but only ${c.remaining} bytes remain`, countPos);
    }
    const el = (i: number): string => `${what}[${i}]`;
    switch (itemType) {
      case "string": {
        // a top-level string array resumes at its first unread element after NeedMoreBytes
        const p = depth === 1 ? this.progress : undefined;
        let out: string[] = [];
        if (p !== undefined) {
          if (p.partial !== null && p.partial.at === start) {
            out = p.partial.items;
            c.pos = p.partial.next;
          } else {
            p.partial = { at: start, items: out, next: c.pos };
          }
        }
        for (let i = out.length; i < n; i++) {
          out.push(this.string(el(i)));
          if (p?.partial) p.partial.next = c.pos;
        }
        if (p !== undefined) p.partial = null;
        return { type: "array", itemType, value: out };
      }
      case "array": {
        const out: GgufArrayValue[] = [];
        for (let i = 0; i < n; i++) out.push(this.array(el(i), depth + 1));
        return { type: "array", itemType, value: out };
      }
      case "bool": {
        const bytes = c.bytesView(n, what);
        const out: boolean[] = [];
        for (let i = 0; i < n; i++) {
          const b = bytes[i];
          if (b > 1) throw new GgufError(`${el(i)} is a bool with byte value ${b}; only 0 and 1 are valid`, c.pos - n + i);
          out.push(b === 1);
        }
        return { type: "array", itemType, value: out };
      }
      default:
        return this.numberArray(itemType, n, what);
    }
  }

  private numberArray(itemType: Exclude<GgufValueType, "string" | "array" | "bool">, n: number, what: string): GgufArrayValue {
    const c = this.c;
    const size = fixedSize(itemType);
    c.need(n * size, what);
    const view = c.data;
    const le = c.littleEndian;
    const p = c.pos;
    c.pos += n * size;
    switch (itemType) {
      case "u64": {
        const out = new BigUint64Array(n);
        for (let i = 0; i < n; i++) out[i] = view.getBigUint64(p + 8 * i, le);
        return { type: "array", itemType, value: out };
      }
      case "i64": {
        const out = new BigInt64Array(n);
        for (let i = 0; i < n; i++) out[i] = view.getBigInt64(p + 8 * i, le);
        return { type: "array", itemType, value: out };
      }
      case "u8":
        return { type: "array", itemType, value: new Uint8Array(view.buffer.slice(view.byteOffset + p, view.byteOffset + p + n)) };
      case "i8":
        return { type: "array", itemType, value: new Int8Array(view.buffer.slice(view.byteOffset + p, view.byteOffset + p + n)) };
      case "u16":
        return { type: "array", itemType, value: fill(new Uint16Array(n), view, p, itemType, le) };
      case "i16":
        return { type: "array", itemType, value: fill(new Int16Array(n), view, p, itemType, le) };
      case "u32":
        return { type: "array", itemType, value: fill(new Uint32Array(n), view, p, itemType, le) };
      case "i32":
        return { type: "array", itemType, value: fill(new Int32Array(n), view, p, itemType, le) };
      case "f32":
        return { type: "array", itemType, value: fill(new Float32Array(n), view, p, itemType, le) };
      case "f64":
        return { type: "array", itemType, value: fill(new Float64Array(n), view, p, itemType, le) };
    }
  }
}

type NumberType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64";

function readNumber(view: DataView, at: number, type: NumberType, le: boolean): number {
  switch (type) {
    case "u8":
      return view.getUint8(at);
    case "i8":
      return view.getInt8(at);
    case "u16":
      return view.getUint16(at, le);
    case "i16":
      return view.getInt16(at, le);
    case "u32":
      return view.getUint32(at, le);
    case "i32":
      return view.getInt32(at, le);
    case "f32":
      return view.getFloat32(at, le);
    case "f64":
      return view.getFloat64(at, le);
  }
}

function fill<T extends { length: number; [i: number]: number }>(out: T, view: DataView, at: number, type: NumberType, le: boolean): T {
  const size = fixedSize(type);
  for (let i = 0; i < out.length; i++) out[i] = readNumber(view, at + size * i, type, le);
  return out;
}
