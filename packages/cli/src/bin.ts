// The `bitnet` executable's entry: runs the command line and sets the exit code.
import { runCli } from "./cli/run-cli.js";

process.exitCode = await runCli(process.argv.slice(2));
