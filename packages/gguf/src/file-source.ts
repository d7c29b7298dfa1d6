// Reading a GGUF header from a Node file path or file handle (Node only, via the "./node" entry).
// Only the header is loaded; the streaming logic itself is browser-safe in ./streaming.ts.
import { open, type FileHandle } from "node:fs/promises";
import { readGgufHeader, type GgufStreamOptions, type RandomAccessSource } from "./streaming.js";
import type { GgufFile } from "./reader.js";

/**
 * A {@link RandomAccessSource} over an open Node file handle of `size` bytes.
 *
 * @example
 * ```ts
 * const fh = await open("model.gguf");
 * const source = fileHandleSource(fh, (await fh.stat()).size);
 * ```
 */
export function fileHandleSource(handle: FileHandle, size: number): RandomAccessSource {
  return {
    size,
    read: async (position, length) => {
      const buffer = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    },
  };
}

/**
 * Reads the header of the GGUF file at `path` without loading its tensor data.
 *
 * @example
 * ```ts
 * const file = await readGgufHeaderFromFile("model.gguf");
 * file.tensors.length; // 291
 * ```
 */
export async function readGgufHeaderFromFile(path: string, options: GgufStreamOptions = {}): Promise<GgufFile> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    return await readGgufHeader(fileHandleSource(handle, size), options);
  } finally {
    await handle.close();
  }
}
