// Streaming header reader: parses the header of a GGUF file from a Blob or any random-access
// source, loading only a growing prefix of the file, never the tensor data.
import { resolveCaps } from "./caps.js";
import { NeedMoreBytes } from "./cursor.js";
import { GgufError } from "./errors.js";
import { newPrefixProgress, parseGgufPrefix, type GgufFile, type GgufReadOptions } from "./reader.js";

/**
 * Random access to a file's bytes: its size, and a read of `length` bytes at `position`.
 *
 * @example
 * ```ts
 * const source: RandomAccessSource = { size: bytes.length, read: async (p, n) => bytes.subarray(p, p + n) };
 * ```
 */
export interface RandomAccessSource {
  readonly size: number;
  read(position: number, length: number): Promise<Uint8Array>;
}

/**
 * Options for {@link readGgufHeader}: the reader's options plus the first window size.
 *
 * @example
 * ```ts
 * await readGgufHeader(blob, { initialBytes: 64 * 1024, strict: true });
 * ```
 */
export interface GgufStreamOptions extends GgufReadOptions {
  /** Bytes to load first (default 1 MiB); the window doubles (or jumps to what is needed) until the header fits. */
  readonly initialBytes?: number;
}

/**
 * A {@link RandomAccessSource} over a `Blob` (a browser `File` is a Blob; so is Node's `fs.openAsBlob`).
 *
 * @example
 * ```ts
 * blobSource(new Blob([bytes])).size; // bytes.length
 * ```
 */
export function blobSource(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    read: async (position, length) => new Uint8Array(await blob.slice(position, position + length).arrayBuffer()),
  };
}

/**
 * Parses the header of a GGUF file from a `Blob` or a {@link RandomAccessSource}, reading
 * only as much of the file as the header needs, so multi-gigabyte models can be inspected.
 * The checks and caps are those of {@link parseGguf} (tensor ranges are checked against the
 * true file size), plus `maxHeaderBytes` on how much is loaded.
 *
 * @example
 * ```ts
 * const file = await readGgufHeader(new Blob([bytes]));
 * file.tensors.map((t) => t.name); // ["token_embd.weight", ...]
 * ```
 */
export async function readGgufHeader(source: Blob | RandomAccessSource, options: GgufStreamOptions = {}): Promise<GgufFile> {
  const src = isBlob(source) ? blobSource(source) : source;
  const caps = resolveCaps(options.caps);
  const size = src.size;
  if (!Number.isSafeInteger(size) || size < 0) throw new GgufError(`the source reports a size of ${size} bytes`);
  const initial = options.initialBytes ?? 1 << 20;
  let loaded: Uint8Array = new Uint8Array(0);
  let want = Math.min(size, Math.max(1, initial), caps.maxHeaderBytes);
  // kept between attempts: each attempt continues at the first entry the last one could not finish
  const progress = newPrefixProgress();
  for (;;) {
    if (want > loaded.length) loaded = await extend(src, loaded, want);
    try {
      return parseGgufPrefix(new DataView(loaded.buffer, loaded.byteOffset, loaded.byteLength), size, options, progress);
    } catch (e) {
      if (!(e instanceof NeedMoreBytes)) throw e;
      if (e.needed > caps.maxHeaderBytes) {
        throw new GgufError(`the header needs more than ${e.needed - 1} bytes, above the cap maxHeaderBytes = ${caps.maxHeaderBytes}`, loaded.length);
      }
      want = Math.min(size, caps.maxHeaderBytes, Math.max(e.needed, loaded.length * 2));
    }
  }
}

async function extend(src: RandomAccessSource, loaded: Uint8Array, want: number): Promise<Uint8Array> {
  const more = await src.read(loaded.length, want - loaded.length);
  if (more.length !== want - loaded.length) {
    throw new GgufError(`the source returned ${more.length} bytes where ${want - loaded.length} were asked for (file of ${src.size} bytes)`, loaded.length);
  }
  const next = new Uint8Array(want);
  next.set(loaded, 0);
  next.set(more, loaded.length);
  return next;
}

function isBlob(x: Blob | RandomAccessSource): x is Blob {
  return typeof Blob !== "undefined" && x instanceof Blob;
}
