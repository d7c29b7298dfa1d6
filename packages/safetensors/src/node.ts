// @bitnet-quantize/safetensors/node: reading and writing files by path (Node only).
// The main entry stays browser-safe; only this file imports node: modules.
import { readFile, writeFile } from "node:fs/promises";
import { parseSafetensors, type SafetensorsFile, type SafetensorsReadOptions } from "./reader.js";
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
