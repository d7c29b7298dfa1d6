// exportGguf: encodeGguf plus an atomic write to a file path. Node only
// (reached through the "./node" entry); the encoding itself is in ../gguf.
import type { BitNetModel } from "../model/bitnet-model.js";
import type { SpmTokenizer } from "../tokenizer/spm-tokenizer.js";
import { type ExportGgufOptions, encodeGguf } from "../gguf/export-gguf.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/**
 * Options of {@link exportGguf}: those of {@link encodeGguf} plus where to write.
 *
 * @example
 * ```ts
 * const opts: ExportGgufFileOptions = { type: "TQ2_0", path: "out/model.gguf" };
 * ```
 */
export interface ExportGgufFileOptions extends ExportGgufOptions {
  /** Write the file here (atomically: a temporary file in the same directory, fsync, rename). */
  readonly path?: string;
}

/**
 * Writes the GGUF of a model and tokenizer: returns the bytes and, with
 * `path`, writes them atomically (a temporary file in the same directory,
 * fsync, rename), so a crash never leaves a partial file under `path`.
 *
 * @example
 * ```ts
 * import { exportGguf } from "@bitnet-quantize/bitnet/node";
 * const bytes = await exportGguf(model, tokenizer, { type: "TQ2_0", path: "out/model.gguf" });
 * // llama-cli -m out/model.gguf -p "the cat" -n 32 --temp 0
 * ```
 */
export async function exportGguf(model: BitNetModel, tokenizer: SpmTokenizer, opts: ExportGgufFileOptions): Promise<Uint8Array> {
  const bytes = encodeGguf(model, tokenizer, opts);
  if (opts.path !== undefined) await writeFileAtomic(opts.path, bytes);
  return bytes;
}
