// The bitnet-gguf command line: `bitnet-gguf inspect model.gguf [--json]`, and `bitnet-gguf convert`
// (Hugging Face checkpoint → GGUF), which lives in @bitnet-quantize/bitnet and is loaded on demand (Node only).
// runCli returns an exit code and writes through the given io; it never calls process.exit.
import { parseArgs } from "node:util";
import { GgufError } from "./errors.js";
import { formatGgufText, ggufToJson } from "./inspect.js";
import { readGgufHeaderFromFile } from "./file-source.js";

/**
 * Where the CLI writes (defaults: process.stdout and process.stderr).
 *
 * @example
 * ```ts
 * const io: CliIo = { out: (s) => lines.push(s), err: (s) => errors.push(s) };
 * ```
 */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `usage: bitnet-gguf inspect <file.gguf> [--json] [--lenient] [--max-items N]
       bitnet-gguf convert <hf-dir> <out.gguf> [--type TQ2_0|TQ1_0|F16|F32] [--scale tensor|fold]

  inspect     print the header: version, metadata (long arrays abbreviated) and the tensor table
  convert     a Hugging Face BitNet checkpoint to a llama.cpp bitnet GGUF, with a progress bar
              (needs @bitnet-quantize/bitnet installed; \`convert --help\` for its options)
  --json      print JSON instead of text
  --lenient   accept files that follow the GGUF spec but not llama.cpp's stricter rules
  --max-items array elements to show (default 8)

Exit codes: 0 ok, 1 the file could not be read or is not valid GGUF, 2 usage error.`;

/**
 * Runs the CLI on `argv` (without node and the script path) and returns the exit code:
 * 0 on success, 1 when the file is unreadable or invalid (a GgufError prints its byte
 * offset), 2 for usage errors.
 *
 * @example
 * ```ts
 * await runCli(["inspect", "model.gguf", "--json"]); // 0, JSON on stdout
 * await runCli(["frobnicate"]);                       // 2, usage on stderr
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  if (argv[0] === "convert") return runConvert(argv.slice(1), io);
  const parsed = parseCommandLine(argv);
  if (parsed instanceof Error) {
    io.err(`bitnet-gguf: ${parsed.message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, path, ...extra] = positionals;
  if (command !== "inspect" || path === undefined || extra.length > 0) {
    const why = command === undefined ? "missing command" : command !== "inspect" ? `unknown command ${JSON.stringify(command)}` : path === undefined ? "missing file" : `unexpected argument ${JSON.stringify(extra[0])}`;
    io.err(`bitnet-gguf: ${why}\n${USAGE}`);
    return 2;
  }
  let maxArrayItems = 8;
  if (values["max-items"] !== undefined) {
    maxArrayItems = Number(values["max-items"]);
    if (!Number.isSafeInteger(maxArrayItems) || maxArrayItems < 0) {
      io.err(`bitnet-gguf: --max-items must be a non-negative integer, got ${JSON.stringify(values["max-items"])}\n${USAGE}`);
      return 2;
    }
  }
  try {
    const file = await readGgufHeaderFromFile(path, { strict: !values.lenient });
    if (values.json) io.out(JSON.stringify({ path, ...ggufToJson(file, { maxArrayItems }) }, null, 2));
    else io.out(`${path}\n${formatGgufText(file, { maxArrayItems })}`);
    return 0;
  } catch (e) {
    if (e instanceof GgufError) {
      io.err(`bitnet-gguf: ${path}: invalid GGUF${e.offset === undefined ? "" : ` at byte ${e.offset}`}: ${e.reason}`);
      return 1;
    }
    const code = typeof e === "object" && e !== null && "code" in e ? ` (${String(e.code)})` : "";
    io.err(`bitnet-gguf: ${path}: cannot read${code}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: "boolean", default: false },
        lenient: { type: "boolean", default: false },
        "max-items": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** The shape of @bitnet-quantize/bitnet/hf/node that `convert` uses (this package does not depend on it). */
interface ConvertModule {
  runConvertCommand(argv: readonly string[], io: { out: (t: string) => void; err: (t: string) => void; progress: (t: string) => void; tty: boolean }): Promise<number>;
}

async function runConvert(argv: readonly string[], io: CliIo): Promise<number> {
  // A variable specifier keeps this package free of a build-time dependency on bitnet (which depends on it).
  const specifier = "@bitnet-quantize/bitnet/hf/node";
  let mod: ConvertModule;
  try {
    mod = (await import(specifier)) as ConvertModule;
  } catch (e) {
    io.err(`bitnet-gguf: convert needs @bitnet-quantize/bitnet (npm install @bitnet-quantize/bitnet): ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  return mod.runConvertCommand(argv, { out: io.out, err: io.err, progress: (t) => process.stderr.write(t), tty: process.stderr.isTTY === true });
}

function defaultIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}
