// `npm start` at the repository root: the main demo, which is `bitnet train`
// with the same options (npm start -- --help lists them).
import { defaultContext, runCli } from "./cli/run-cli.js";

process.exitCode = await runCli(["train", ...process.argv.slice(2)], defaultContext("npm start --"));
