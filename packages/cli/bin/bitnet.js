#!/usr/bin/env node
// Launcher for the bitnet command: runs the compiled dist/bin.js, and says
// what to do when the package has not been built yet.
try {
  await import("../dist/bin.js");
} catch (e) {
  if (e !== null && typeof e === "object" && e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("dist/bin.js")) {
    console.error("bitnet: @bitnet-quantize/cli is not built yet; run `npm run build` (at the repository root) first");
    process.exit(1);
  }
  throw e;
}
