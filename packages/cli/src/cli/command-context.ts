// What a subcommand of the bitnet CLI gets: where to write, the working
// directory, and the name to show in messages. Not the commands.
import type { ProgressSink } from "./progress.js";

/**
 * The environment of one command run (process.stdout/stderr and cwd in the real CLI).
 *
 * @example
 * ```ts
 * const ctx: CommandContext = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), program: "bitnet" };
 * ```
 */
export interface CommandContext {
  readonly stdout: ProgressSink;
  readonly stderr: { write(text: string): unknown };
  /** Relative paths the user typed are relative to this directory. */
  readonly cwd: string;
  /** How the user invoked the program, for messages and help: "bitnet" or "npm start --". */
  readonly program: string;
}
