// @bitnet-quantize/safetensors/node: reading and writing files by path (Node only).
// The main entry stays browser-safe; only this file imports node: modules.
import { open, readFile, writeFile, type FileHandle } from "node:fs/promises";
import { SafetensorsError } from "./errors.js";
import {
  parseSafetensors,
  parseSafetensorsHeader,
  safetensorsHeaderLength,
  type SafetensorsFile,
  type SafetensorsHeader,
  type SafetensorsReadOptions,
  type SafetensorsTensorInfo,
} from "./reader.js";
import { writeSafetensors, type SafetensorsWriteInput } from "./writer.js";

/**
 * Reads and parses the safetensors file at `path` (the whole file is loaded).
 *
 * @throws SafetensorsError for a bad file; the fs error when it cannot be read.
 * @example
 * ```ts
 * const file = await readSafetensorsFile("model.safetensors");
 * file.tensors.length; // 332
 * ```
 */
export async function readSafetensorsFile(path: string, options?: SafetensorsReadOptions): Promise<SafetensorsFile> {
  const buffer = await readFile(path);
  return parseSafetensors(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), options);
}

/**
 * Writes `input` as a safetensors file at `path`.
 *
 * @example
 * ```ts
 * await writeSafetensorsFile("out.safetensors", { tensors: { w: { dtype: "F32", shape: [1], data: new Float32Array([1]) } } });
 * ```
 */
export async function writeSafetensorsFile(path: string, input: SafetensorsWriteInput): Promise<void> {
  await writeFile(path, writeSafetensors(input));
}

/**
 * A safetensors file opened for reading one tensor at a time (for files larger than
 * memory): the validated header, and `readTensor` to load one tensor's bytes.
 *
 * @example
 * ```ts
 * await using f = await openSafetensorsFile("model-00001-of-00002.safetensors");
 * const bytes = await f.readTensor("model.norm.weight");
 * ```
 */
export interface OpenSafetensorsFile extends AsyncDisposable {
  readonly header: SafetensorsHeader;
  /** The raw little-endian bytes of one tensor (a new buffer). */
  readTensor(tensor: string | SafetensorsTensorInfo): Promise<Uint8Array>;
  close(): Promise<void>;
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/**
 * Opens a safetensors file and validates its header without reading the tensor data
 * (two reads: the 8-byte length, then the header).
 *
 * @throws SafetensorsError for a bad header; the fs error when the file cannot be opened.
 * @example
 * ```ts
 * const f = await openSafetensorsFile("big.safetensors");
 * f.header.tensors.length; // 291
 * await f.close();
 * ```
 */
export async function openSafetensorsFile(path: string, options?: SafetensorsReadOptions): Promise<OpenSafetensorsFile> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const first8 = await readExactly(handle, 0, Math.min(8, size));
    const headerEnd = safetensorsHeaderLength(first8, size, options);
    const header = parseSafetensorsHeader(await readExactly(handle, 0, headerEnd), size, options);
    const close = (): Promise<void> => handle.close();
    return {
      header,
      async readTensor(tensor) {
        const info = typeof tensor === "string" ? header.tensorsByName.get(tensor) : tensor;
        if (info === undefined) throw new SafetensorsError("TensorNotFound", `no tensor named ${JSON.stringify(tensor)} in ${path}`);
        const bytes = await readExactly(handle, info.byteOffset, info.byteLength);
        if (bytes.length !== info.byteLength) throw new SafetensorsError("MetadataIncompleteBuffer", `${path} ended while reading ${info.name}`, info.byteOffset + bytes.length);
        return bytes;
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
