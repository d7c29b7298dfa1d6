// Usage errors of the bitnet command: what the user typed wrong and how to
// fix it, printed as one line with exit code 2 (never a stack trace). Also
// parseArgs with its error codes mapped to such lines.
import { parseArgs } from "node:util";

/**
 * A mistake on the command line: printed as `bitnet <command>: <message>`, exit code 2.
 *
 * @example
 * ```ts
 * const e = new UsageError('--steps must be a whole number, got "abc" (e.g. --steps 200)');
 * e.name; // "UsageError"
 * // a command throws it; bitnet prints "bitnet train: " + e.message and exits with code 2
 * ```
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The option table parseArgs takes, restricted to what the commands use. */
export type OptionSpec = Record<string, { readonly type: "string" | "boolean"; readonly short?: string; readonly multiple?: false }>;

/** What {@link parseCommand} returns: string or boolean values by option name, and positionals. */
export interface ParsedCommand {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * parseArgs in strict mode, whose errors become one-line {@link UsageError}s
 * naming the option and the fix.
 *
 * @example
 * ```ts
 * parseCommand(["--stepz", "5"], { steps: { type: "string" } }, "bitnet train"); // throws UsageError: unknown option --stepz (did you mean --steps?); see bitnet train --help
 * ```
 */
export function parseCommand(args: readonly string[], options: OptionSpec, command: string, allowPositionals = false): ParsedCommand {
  try {
    const r = parseArgs({ args: [...args], options, strict: true, allowPositionals });
    return { values: r.values, positionals: r.positionals };
  } catch (e) {
    const code = typeof e === "object" && e !== null && "code" in e ? String(e.code) : "";
    const message = e instanceof Error ? e.message : String(e);
    const help = `see ${command} --help`;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const name = /'([^']+)'/.exec(message)?.[1] ?? message;
      const guess = closest(name.replace(/^-+/, ""), Object.keys(options));
      throw new UsageError(`unknown option ${name}${guess === undefined ? "" : ` (did you mean --${guess}?)`}; ${help}`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const name = /'([^']+)'/.exec(message)?.[1] ?? "an option";
      const flag = name.split(/[ ,]/).find((s) => s.startsWith("--")) ?? name;
      const spec = options[flag.replace(/^-+/, "")];
      throw new UsageError(spec?.type === "boolean" ? `${flag} takes no value; ${help}` : `${flag} needs a value (${flag} VALUE); ${help}`);
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const arg = /'([^']+)'/.exec(message)?.[1] ?? "";
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (options start with --); ${help}`);
    }
    throw new UsageError(`${message.split("\n")[0] ?? message}; ${help}`);
  }
}

/**
 * A whole number option in `[min, max]`; undefined gives the fallback.
 *
 * @example
 * ```ts
 * intOption("steps", "200", 160); // 200
 * intOption("steps", "abc", 160); // throws UsageError: --steps must be a whole number, got "abc" (e.g. --steps 160)
 * ```
 */
export function intOption(name: string, text: string | boolean | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined || typeof text === "boolean") return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(text)}${fallback > 0 ? ` (e.g. --${name} ${fallback})` : ""}`);
  if (n < min || n > max) throw new UsageError(`--${name} must be ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`}, got ${n}`);
  return n;
}

/**
 * A finite number option, greater than `min` (or equal when `inclusive`).
 *
 * @example
 * ```ts
 * floatOption("lr", "3e-3", 1e-3); // 0.003
 * ```
 */
export function floatOption(name: string, text: string | boolean | undefined, fallback: number, min = 0, inclusive = false): number {
  if (text === undefined || typeof text === "boolean") return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(text)}${fallback > 0 ? ` (e.g. --${name} ${fallback})` : ""}`);
  if (inclusive ? n < min : n <= min) throw new UsageError(`--${name} must be ${inclusive ? "at least" : "greater than"} ${min}, got ${n}`);
  return n;
}

/**
 * One of a fixed set of words (case-insensitive input, canonical output).
 *
 * @example
 * ```ts
 * choiceOption("type", "tq1_0", ["TQ2_0", "TQ1_0"], "TQ2_0"); // "TQ1_0"
 * ```
 */
export function choiceOption<T extends string>(name: string, text: string | boolean | undefined, choices: readonly T[], fallback: T): T {
  if (text === undefined || typeof text === "boolean") return fallback;
  const hit = choices.find((c) => c.toLowerCase() === text.toLowerCase());
  if (hit === undefined) throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`);
  return hit;
}

/** The option name closest to `name` by edit distance, if close enough to be a typo. */
function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
