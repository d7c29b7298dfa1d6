// `bitnet inspect file.gguf|file.safetensors`: the header of a model file
// (metadata and the tensor table), without reading the tensor data. Node only.
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { runCli as ggufCli } from "@bitnet-quantize/gguf/node";
import { describeSafetensors } from "./describe-safetensors.js";
import type { CommandContext } from "./command-context.js";
import { type OptionSpec, UsageError, parseCommand } from "./usage-error.js";

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies OptionSpec;

const HELP = `Print the header of a model file: metadata and the tensor table.

usage: bitnet inspect <file.gguf | file.safetensors> [--json]

  --json      JSON instead of text (GGUF only)
  -h, --help  this text`;

/**
 * Runs `inspect`; returns the exit code (1 when the file is not valid).
 *
 * @example
 * ```ts
 * await inspectCommand(["out/model.gguf"], ctx); // 0, the header on stdout
 * ```
 */
export async function inspectCommand(args: readonly string[], ctx: CommandContext): Promise<number> {
  const { values: v, positionals } = parseCommand(args, OPTIONS, "bitnet inspect", true);
  if (v.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError("missing file: which .gguf or .safetensors file to inspect (e.g. bitnet inspect out/model.gguf)");
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}: inspect takes one file`);
  const path = resolve(ctx.cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${file}: no such file`);
  if (/\.safetensors$/i.test(file)) {
    if (v.json === true) throw new UsageError("--json is for GGUF files; drop it for .safetensors");
    ctx.stdout.write(`${file}\n${describeSafetensors(readFileSync(path))}\n`);
    return 0;
  }
  if (!/\.gguf$/i.test(file)) throw new UsageError(`${file}: unknown file type (inspect reads .gguf and .safetensors files)`);
  return ggufCli(["inspect", path, ...(v.json === true ? ["--json"] : [])], {
    out: (t) => void ctx.stdout.write(`${t.startsWith(path) ? file + t.slice(path.length) : t}\n`),
    err: (t) => void ctx.stderr.write(`${t.replace("bitnet-gguf: ", "bitnet inspect: ").replaceAll(path, file)}\n`),
  });
}
