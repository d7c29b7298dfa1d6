// The bitnet command line: `bitnet <train|generate|inspect|convert> ...`.
// runCli returns the exit code and never calls process.exit: 0 ok, 1 a
// failure (one line on stderr), 2 a usage mistake (one line, no stack trace).
import { convertCommand } from "./convert-command.js";
import type { CommandContext } from "./command-context.js";
import { generateCommand } from "./generate-command.js";
import { inspectCommand } from "./inspect-command.js";
import { trainCommand } from "./train-command.js";
import { UsageError } from "./usage-error.js";

const COMMANDS = {
  train: trainCommand,
  generate: generateCommand,
  inspect: inspectCommand,
  convert: convertCommand,
} as const;

const HELP = `bitnet: BitNet b1.58 in TypeScript

usage: bitnet <command> [options]    (bitnet <command> --help for its options)

  train      train a small BitNet language model, with --resume to continue one
  generate   continue a prompt with a GGUF model: bitnet generate -m model.gguf -p "..."
  inspect    print the header of a .gguf or .safetensors file
  convert    Hugging Face BitNet checkpoint to GGUF`;

/**
 * Runs one command line (without `node` and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2)); // e.g. ["inspect", "out/model.gguf"]
 * ```
 */
export async function runCli(argv: readonly string[], ctx: CommandContext = defaultContext()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      if (name === "help" && rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0])) return await COMMANDS[rest[0] as keyof typeof COMMANDS](["--help"], ctx);
      if (name === undefined) {
        ctx.stderr.write(`${HELP}\n`);
        return 2;
      }
      ctx.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (!Object.hasOwn(COMMANDS, name)) {
      throw new UsageError(`unknown command ${JSON.stringify(name)} (the commands are ${Object.keys(COMMANDS).join(", ")}; see bitnet --help)`);
    }
    return await COMMANDS[name as keyof typeof COMMANDS](rest, { ...ctx, program: ctx.program === "bitnet" ? "bitnet" : ctx.program });
  } catch (e) {
    const who = ctx.program === "bitnet" ? `bitnet${name !== undefined && Object.hasOwn(COMMANDS, name) ? ` ${name}` : ""}` : ctx.program.replace(/ --$/, "");
    if (e instanceof UsageError) {
      ctx.stderr.write(`${who}: ${e.message}\n`);
      return 2;
    }
    // Anything else is a failure of the work, not of the command line: one line, the error's own words.
    const code = typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? ` (${e.code})` : "";
    ctx.stderr.write(`${who}: error${code}: ${e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e)}\n`);
    return 1;
  }
}

/**
 * The real process's streams and directory. For `npm start` the directory is
 * `INIT_CWD`, where the user ran it (npm runs scripts from the package root).
 *
 * @example
 * ```ts
 * defaultContext().program; // "bitnet"
 * ```
 */
export function defaultContext(program = "bitnet"): CommandContext {
  const cwd = program === "bitnet" ? process.cwd() : (process.env.INIT_CWD ?? process.cwd());
  return { stdout: process.stdout, stderr: process.stderr, cwd, program };
}
