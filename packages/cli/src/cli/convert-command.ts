// `bitnet convert`: Hugging Face BitNet checkpoint to GGUF. The converter
// itself is not in this build yet; the command says so as a usage error.
import type { CommandContext } from "./command-context.js";
import { type OptionSpec, UsageError, parseCommand } from "./usage-error.js";

const OPTIONS = { type: { type: "string" }, help: { type: "boolean", short: "h" } } satisfies OptionSpec;

const HELP = `Convert a Hugging Face BitNet checkpoint directory to a llama.cpp GGUF file.

usage: bitnet convert <hf-dir> <out.gguf> [--type TQ2_0|TQ1_0]

Not available in this build yet: the Hugging Face loader is being written.`;

/**
 * Runs `convert`; returns the exit code.
 *
 * @example
 * ```ts
 * await convertCommand(["--help"], ctx); // 0
 * ```
 */
export async function convertCommand(args: readonly string[], ctx: CommandContext): Promise<number> {
  const { values: v } = parseCommand(args, OPTIONS, "bitnet convert", true);
  if (v.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  throw new UsageError("convert is not available in this build yet (the Hugging Face loader is not merged); export models trained here with bitnet train");
}
