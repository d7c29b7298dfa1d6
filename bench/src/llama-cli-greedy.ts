// llama.cpp's greedy continuation of a prompt as token ids and text, from
// llama-cli (b4747 and later): `llama-cli -m F -p P -n N+1 --temp 0 -no-cnv
// -t 1 --no-warmup -v`. llama-cli prints no generated ids; with -v its debug
// log (stderr) shows every batch it evaluates as `eval: [ 'piece':id, ... ]`:
// first the prompt (with BOS), then each sampled token but the last, hence
// N+1. Its stdout is the prompt as tokenized (SPM's leading space) and the
// continuation. Not the comparison (greedy.bench.ts).
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * What llama-cli evaluated and printed for one prompt.
 *
 * @example
 * ```ts
 * const { promptIds, ids, stdout }: LlamaGreedy = llamaGreedy(cli, "model.gguf", "one day", 32);
 * ```
 */
export interface LlamaGreedy {
  /** The prompt's ids as llama.cpp tokenized them (BOS first). */
  readonly promptIds: readonly number[];
  /** The first `n` generated ids; fewer when llama-cli stopped at an end-of-generation token. */
  readonly ids: readonly number[];
  /** llama-cli's stdout (the echoed prompt and the continuation of n+1 tokens). */
  readonly stdout: string;
}

/**
 * llama-cli in `bin` (a build's bin folder, or llama-cli/llama-bench itself).
 *
 * @example
 * ```ts
 * llamaCliPath("/opt/llama/build/bin"); // "/opt/llama/build/bin/llama-cli"
 * ```
 */
export function llamaCliPath(bin: string): string {
  const dir = existsSync(bin) && statSync(bin).isDirectory() ? bin : dirname(bin);
  return join(dir, "llama-cli");
}

/**
 * The ids of one `eval: [ 'piece':id, ... ]` log line (pieces may hold any
 * printable character, so ids are read as the digits after the last colon of
 * each element).
 *
 * @example
 * ```ts
 * evalIds("eval: [ '<s>':1, ' ':259, 'One':323 ]"); // [1, 259, 323]
 * ```
 */
export function evalIds(line: string): number[] {
  return [...line.matchAll(/:(\d+)(?=, '| \]$)/g)].map((m) => Number(m[1]));
}

/**
 * Runs llama-cli greedily on `file` for `prompt`, `n` tokens, one thread.
 *
 * @example
 * ```ts
 * const { ids } = llamaGreedy("/opt/llama/build/bin/llama-cli", "model.gguf", "one day", 32);
 * ```
 */
export function llamaGreedy(cli: string, file: string, prompt: string, n: number): LlamaGreedy {
  const r = spawnSync(cli, ["-m", file, "-p", prompt, "-n", String(n + 1), "--temp", "0", "-no-cnv", "-t", "1", "--no-warmup", "-v"], { encoding: "utf8", maxBuffer: 64 * 2 ** 20, timeout: 5 * 60_000 });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`llama-cli exited with ${r.status}: ${r.stderr.split("\n").slice(-5).join(" | ")}`);
  const batches = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("eval: ["))
    .map(evalIds);
  const [promptIds = [], ...rest] = batches;
  return { promptIds, ids: rest.flat().slice(0, n), stdout: r.stdout };
}
