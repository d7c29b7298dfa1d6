// The model `npm start` trains with its defaults (`bitnet train`: tiny
// stories, dim 256, 2 layers, 160 steps, seeded, TQ2_0 export), trained once
// with the same command and kept in the benchmarks' temporary folder. The
// time limit is lifted (npm start stops after 7 minutes) so that the file is
// the same on a slow machine. Not the measurement.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { trainCommand } from "@bitnet-quantize/cli/node";

/**
 * `dir/model.gguf` after training it there unless it exists; returns its path.
 *
 * @example
 * ```ts
 * const file = await buildStartModelFile("/tmp/bitnet-quantize-bench/start");
 * ```
 */
export async function buildStartModelFile(dir: string): Promise<string> {
  const file = join(dir, "model.gguf");
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const log: string[] = [];
  const sink = { write: (s: string): void => void log.push(s) };
  const code = await trainCommand(["--out", dir, "--no-progress", "--max-minutes", "1000"], { stdout: sink, stderr: sink, cwd: dir, program: "npm start --" });
  if (code !== 0 || !existsSync(file)) throw new Error(`training the npm start model failed (exit ${code}):\n${log.join("").slice(-2000)}`);
  return file;
}
