// @bitnet-quantize/bitnet/hf/node: Hugging Face checkpoint directories by path (Node only): read
// (single file or sharded index), write (1bitLLM layout), convert to GGUF with a progress bar.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type SafetensorsFile, parseSafetensors, parseSafetensorsIndex } from "@bitnet-quantize/safetensors";
import { writeFileAtomic } from "../node/write-file-atomic.js";
import type { BitNetModel } from "../model/bitnet-model.js";
import type { SpmTokenizer } from "../tokenizer/spm-tokenizer.js";
import { type ConvertHfOptions, convertHfToGguf } from "./convert-hf.js";
import { type ExportHfOptions, exportHfCheckpoint } from "./export-hf.js";
import { HfCheckpointError } from "./hf-error.js";
import { type HfCheckpointFiles, type LoadHfOptions, type LoadedHfCheckpoint, loadHfCheckpoint } from "./load-hf.js";

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if (typeof e === "object" && e !== null && (e as { code?: string }).code === "ENOENT") return undefined;
    throw e;
  }
}

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * Reads a checkpoint directory: `config.json`; `model.safetensors`, or the shards listed
 * in `model.safetensors.index.json`; and whichever of `tokenizer.model`,
 * `tokenizer.json`, `tokenizer_config.json`, `added_tokens.json` exist.
 *
 * @throws HfCheckpointError when config.json or the weights are missing; SafetensorsError for a bad file.
 * @example
 * ```ts
 * const files = await readHfDirectory("bitnet_b1_58-large");
 * files.weights.length; // 1, or the number of shards
 * ```
 */
export async function readHfDirectory(dir: string): Promise<HfCheckpointFiles> {
  const config = await readOptional(join(dir, "config.json"));
  if (config === undefined) throw new HfCheckpointError(`${dir}: no config.json`);
  const weights: SafetensorsFile[] = [];
  const index = await readOptional(join(dir, "model.safetensors.index.json"));
  if (index !== undefined) {
    const parsed = parseSafetensorsIndex(index.toString("utf8"));
    for (const shard of parsed.shards) {
      const bytes = await readOptional(join(dir, shard));
      if (bytes === undefined) throw new HfCheckpointError(`${dir}: the index lists ${shard}, which is missing`);
      const file = parseSafetensors(view(bytes));
      for (const [name, where] of parsed.weightMap) {
        if (where === shard && !file.tensorsByName.has(name)) throw new HfCheckpointError(`${dir}: the index puts ${name} in ${shard}, which does not contain it`);
      }
      weights.push(file);
    }
  } else {
    const single = await readOptional(join(dir, "model.safetensors"));
    if (single === undefined) throw new HfCheckpointError(`${dir}: neither model.safetensors nor model.safetensors.index.json`);
    weights.push(parseSafetensors(view(single)));
  }
  const text = async (name: string): Promise<string | undefined> => (await readOptional(join(dir, name)))?.toString("utf8");
  const model = await readOptional(join(dir, "tokenizer.model"));
  const tokenizerJson = await text("tokenizer.json");
  const tokenizerConfig = await text("tokenizer_config.json");
  const addedTokens = await text("added_tokens.json");
  return {
    config: config.toString("utf8"),
    weights,
    ...(model === undefined ? {} : { tokenizerModel: view(model) }),
    ...(tokenizerJson === undefined ? {} : { tokenizerJson }),
    ...(tokenizerConfig === undefined ? {} : { tokenizerConfig }),
    ...(addedTokens === undefined ? {} : { addedTokens }),
  };
}

/**
 * Loads a checkpoint directory into a BitNetModel and tokenizer (see `loadHfCheckpoint`).
 *
 * @example
 * ```ts
 * const { model, tokenizer, layout } = await loadHfDirectory("bitnet-b1.58-2B-4T");
 * ```
 */
export async function loadHfDirectory(dir: string, opts: LoadHfOptions = {}): Promise<LoadedHfCheckpoint> {
  return loadHfCheckpoint(await readHfDirectory(dir), opts);
}

/**
 * Writes a model (and its SPM tokenizer) as a 1bitLLM-layout checkpoint directory
 * (created if needed; files written atomically).
 *
 * @example
 * ```ts
 * await saveHfDirectory("out/hf", model, tokenizer, { dtype: "F16" });
 * ```
 */
export async function saveHfDirectory(dir: string, model: BitNetModel, tokenizer?: SpmTokenizer, opts: ExportHfOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(exportHfCheckpoint(model, tokenizer, opts))) {
    await writeFileAtomic(join(dir, name), typeof content === "string" ? new TextEncoder().encode(content) : content);
  }
}

/**
 * A text progress bar: returns a callback for `(done, total, label)` that redraws one
 * line (`\r`) on a terminal and prints every tenth step otherwise; `finish()` ends the line.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const bar = progressBar((s) => lines.push(s), false); // in a CLI: progressBar((s) => process.stderr.write(s), process.stderr.isTTY)
 * bar.update(3, 10, "model.norm.weight");
 * lines; // ["[######              ]  3/10 model.norm.weight\n"]
 * bar.finish(); // on a terminal each update redraws the line after "\r" instead
 * ```
 */
export function progressBar(write: (s: string) => void, tty: boolean, width = 20): { update: (done: number, total: number, label: string) => void; finish: () => void } {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done, total, label) {
      const filled = total > 0 ? Math.floor((done / total) * width) : width;
      const line = `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ${label}`;
      if (tty) {
        write(`\r${line.slice(0, 120).padEnd(120)}`);
        drawn = true;
      } else {
        const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
        if (tenth !== lastTenth) write(`${line}\n`);
        lastTenth = tenth;
      }
    },
    finish() {
      if (drawn) write("\n");
      drawn = false;
    },
  };
}

/**
 * Converts a checkpoint directory to a GGUF file (written atomically) and returns its bytes.
 *
 * @example
 * ```ts
 * await convertHfDirectoryToGguf("bitnet_b1_58-large", "large-tq2.gguf", { type: "TQ2_0" });
 * ```
 */
export async function convertHfDirectoryToGguf(dir: string, out: string, opts: ConvertHfOptions = {}): Promise<Uint8Array> {
  const bytes = convertHfToGguf(await readHfDirectory(dir), opts);
  await writeFileAtomic(out, bytes);
  return bytes;
}

/**
 * Where {@link runConvertCommand} writes.
 *
 * @example
 * ```ts
 * const io: ConvertIo = { out: console.log, err: console.error, progress: (s) => process.stderr.write(s), tty: false };
 * ```
 */
export interface ConvertIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Raw progress output (no newline added). */
  readonly progress: (text: string) => void;
  readonly tty: boolean;
}

/**
 * The usage text of the `convert` command.
 *
 * @example
 * ```ts
 * CONVERT_USAGE.startsWith("usage: convert"); // true
 * ```
 */
export const CONVERT_USAGE = `usage: convert <hf-dir> <out.gguf> [--type TQ2_0|TQ1_0|F16|F32] [--scale tensor|fold]

  Converts a Hugging Face BitNet checkpoint (1bitLLM layout: config.json, model.safetensors or a
  sharded index, tokenizer.model) to a llama.cpp "bitnet" GGUF, as convert_hf_to_gguf.py does.
  --type   projection type (default TQ2_0)
  --scale  tensor (default: codes + an f32 .scale tensor, exact) or fold (t·s in the weights, as the converter)

Exit codes: 0 ok, 1 the checkpoint could not be read or converted, 2 usage error.`;

/**
 * The `convert` command line (used by `bitnet-gguf convert`): parses `argv` (after the
 * word "convert"), converts with a progress bar on `io.progress`, returns the exit code.
 *
 * @example
 * ```ts
 * await runConvertCommand(["ckpt", "out.gguf", "--type", "TQ1_0"]); // 0
 * ```
 */
export async function runConvertCommand(argv: readonly string[], io: ConvertIo = defaultIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { type: { type: "string", default: "TQ2_0" }, scale: { type: "string", default: "tensor" }, help: { type: "boolean", short: "h", default: false } } });
  } catch (e) {
    io.err(`convert: ${e instanceof Error ? e.message : String(e)}\n${CONVERT_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(CONVERT_USAGE);
    return 0;
  }
  const [dir, out, ...extra] = parsed.positionals;
  const type = parsed.values.type;
  const scale = parsed.values.scale;
  if (dir === undefined || out === undefined || extra.length > 0) {
    io.err(`convert: ${dir === undefined ? "missing <hf-dir>" : out === undefined ? "missing <out.gguf>" : `unexpected argument ${JSON.stringify(extra[0])}`}\n${CONVERT_USAGE}`);
    return 2;
  }
  if (type !== "TQ2_0" && type !== "TQ1_0" && type !== "F16" && type !== "F32") {
    io.err(`convert: --type must be TQ2_0, TQ1_0, F16 or F32, got ${JSON.stringify(type)}\n${CONVERT_USAGE}`);
    return 2;
  }
  if (scale !== "tensor" && scale !== "fold") {
    io.err(`convert: --scale must be tensor or fold, got ${JSON.stringify(scale)}\n${CONVERT_USAGE}`);
    return 2;
  }
  const bar = progressBar(io.progress, io.tty);
  try {
    const files = await readHfDirectory(dir);
    const bytes = convertHfToGguf(files, { type, scale, onProgress: (d, t, label) => bar.update(d, t, label), warn: (m) => { bar.finish(); io.err(`convert: warning: ${m}`); } });
    bar.finish();
    await writeFileAtomic(out, bytes);
    io.out(`convert: wrote ${out} (${bytes.length} bytes, ${type})`);
    return 0;
  } catch (e) {
    bar.finish();
    io.err(`convert: ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

function defaultIo(): ConvertIo {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    progress: (t) => process.stderr.write(t),
    tty: process.stderr.isTTY === true,
  };
}

