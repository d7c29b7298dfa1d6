// `bitnet convert <hf-dir> <out.gguf>`: a Hugging Face BitNet checkpoint
// (1bitLLM layout) to a llama.cpp `bitnet` GGUF, through @bitnet-quantize/bitnet's
// readHfDirectory and convertHfToGguf, with a progress line. Node only.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { GgufWeightType } from "@bitnet-quantize/bitnet/gguf";
import { writeFileAtomic } from "@bitnet-quantize/bitnet/node";
import { convertHfToGguf } from "@bitnet-quantize/bitnet/hf";
import { readHfDirectory } from "@bitnet-quantize/bitnet/hf/node";
import type { CommandContext } from "./command-context.js";
import { TERMINAL } from "./progress.js";
import { type OptionSpec, UsageError, choiceOption, parseCommand } from "./usage-error.js";

const OPTIONS = { type: { type: "string" }, scale: { type: "string" }, help: { type: "boolean", short: "h" } } satisfies OptionSpec;
const TYPES: readonly GgufWeightType[] = ["TQ2_0", "TQ1_0", "F16", "F32"];

const HELP = `Convert a Hugging Face BitNet checkpoint directory to a llama.cpp GGUF file.

usage: bitnet convert <hf-dir> <out.gguf> [--type T] [--scale S]

  <hf-dir>     config.json, model.safetensors (or a sharded index) and tokenizer.model, in the
               1bitLLM layout (bitnet_b1_58-*); the 2B-4T layout needs relu2, which llama.cpp b4747 lacks
  --type T     projection type: TQ2_0 (default), TQ1_0, F16 or F32
  --scale S    tensor (default: ternary codes plus an exact f32 scale) or fold (t·s in the weights,
               as convert_hf_to_gguf.py writes)
  -h, --help   this text`;

/**
 * Runs `convert`; returns the exit code (1 when the checkpoint cannot be converted).
 *
 * @example
 * ```ts
 * await convertCommand(["bitnet_b1_58-large", "large.gguf", "--type", "TQ1_0"], ctx); // 0
 * ```
 */
export async function convertCommand(args: readonly string[], ctx: CommandContext): Promise<number> {
  const { values: v, positionals } = parseCommand(args, OPTIONS, "bitnet convert", true);
  if (v.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [dir, out, extra] = positionals;
  if (dir === undefined) throw new UsageError("missing <hf-dir>: the Hugging Face checkpoint folder (e.g. bitnet convert bitnet_b1_58-large large.gguf)");
  if (out === undefined) throw new UsageError(`missing <out.gguf>: where to write (e.g. bitnet convert ${dir} model.gguf)`);
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}: convert takes a folder and an output file`);
  const type = choiceOption("type", v.type, TYPES, "TQ2_0");
  const scale = choiceOption("scale", v.scale, ["tensor", "fold"] as const, "tensor");
  const dirPath = resolve(ctx.cwd, dir);
  if (!existsSync(dirPath) || !statSync(dirPath).isDirectory()) throw new UsageError(`${dir}: no such folder (give the checkpoint folder holding config.json)`);
  if (!existsSync(resolve(dirPath, "config.json"))) throw new UsageError(`${dir}: no config.json in it (is it a Hugging Face checkpoint folder?)`);

  const live = ctx.stdout.isTTY === true;
  let drawn = false;
  const files = await readHfDirectory(dirPath);
  const bytes = convertHfToGguf(files, {
    type,
    scale,
    onProgress: (done, total, name) => {
      if (!live) return;
      ctx.stdout.write(`${TERMINAL.clearLine}convert ${done}/${total} ${name}`.slice(0, Math.max(20, (ctx.stdout.columns ?? 80) - 1)));
      drawn = true;
    },
    warn: (m) => {
      if (drawn) ctx.stdout.write(TERMINAL.clearLine);
      drawn = false;
      ctx.stderr.write(`bitnet convert: warning: ${m}\n`);
    },
  });
  if (drawn) ctx.stdout.write(TERMINAL.clearLine);
  await writeFileAtomic(resolve(ctx.cwd, out), bytes);
  ctx.stdout.write(`wrote ${out} (${type}, ${(bytes.length / 1024).toFixed(0)} KiB); run it with: llama-cli -m ${out} -p "..." -n 32 --temp 0 -no-cnv\n`);
  return 0;
}
