// Reading IDX files (the MNIST / Fashion-MNIST format), gzipped or not: a
// big-endian header (magic 0x0000 + type code + rank, then each dimension as
// a uint32) followed by the data. Pure functions over bytes, plus a file reader.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A parsed IDX file: its dimensions and its unsigned-byte data. */
export interface IdxArray {
  /** Dimensions, outermost first (images: [n, 28, 28]; labels: [n]). */
  readonly dims: readonly number[];
  /** The elements in row-major order. */
  readonly data: Uint8Array;
}

/** A malformed IDX file, with what was wrong. */
export class IdxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IdxFormatError";
  }
}

const UBYTE = 0x08;

/**
 * Parses IDX bytes (gunzipped first when they start with the gzip magic).
 * Only the unsigned-byte type (0x08) is supported, which is what MNIST-style
 * data sets use.
 *
 * @example
 * ```ts
 * parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9])); // { dims: [2], data: Uint8Array [7, 9] }
 * ```
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  const raw = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  if (raw.length < 4) throw new IdxFormatError(`IDX: ${raw.length} bytes is too short for a header`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (view.getUint16(0) !== 0) throw new IdxFormatError(`IDX: bad magic 0x${view.getUint16(0).toString(16)} (expected 0x0000)`);
  const type = view.getUint8(2);
  if (type !== UBYTE) throw new IdxFormatError(`IDX: element type 0x${type.toString(16)} is not supported (only 0x08, unsigned byte)`);
  const rank = view.getUint8(3);
  const header = 4 + 4 * rank;
  if (raw.length < header) throw new IdxFormatError(`IDX: header of rank ${rank} needs ${header} bytes, got ${raw.length}`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const count = dims.reduce((n, d) => n * d, 1);
  if (raw.length - header !== count) {
    throw new IdxFormatError(`IDX: dims [${dims.join(",")}] need ${count} data bytes, the file has ${raw.length - header}`);
  }
  return { dims, data: raw.subarray(header) };
}

/**
 * Reads and parses an IDX file (`.gz` or plain).
 *
 * @example
 * ```ts
 * readIdx("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz").dims; // [10000]
 * ```
 */
export function readIdx(path: string): IdxArray {
  return parseIdx(new Uint8Array(readFileSync(path)));
}
