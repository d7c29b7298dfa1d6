#!/usr/bin/env node
// Launcher for the bitnet-gguf CLI; needs `npm run build` (it runs the compiled dist/cli.js).
import { runCli } from "../dist/cli.js";

process.exitCode = await runCli(process.argv.slice(2));
