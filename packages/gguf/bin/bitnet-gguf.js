#!/usr/bin/env node
// Launcher for the bitnet-gguf CLI: runs the compiled dist/cli.js, and says
// what to do when the package has not been built yet.
let cli;
try {
  cli = await import("../dist/cli.js");
} catch (e) {
  if (e !== null && typeof e === "object" && e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("dist/cli.js")) {
    console.error("bitnet-gguf: @bitnet-quantize/gguf is not built yet; run `npm run build` (at the repository root) first");
    process.exit(1);
  }
  throw e;
}
process.exitCode = await cli.runCli(process.argv.slice(2));
