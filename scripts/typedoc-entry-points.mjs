// TypeDoc entry points from a package's package.json `exports`: the "@bitnet-quantize/source"
// file of every subpath (./package.json and non-code entries skipped), so the
// API reference lists exactly the public subpaths and cannot drift from them.
// Each package's typedoc.config.mjs calls this.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The `@bitnet-quantize/source` paths of a package's exports, relative to the package.
 *
 * @param {string} configUrl import.meta.url of the package's typedoc.config.mjs
 * @returns {string[]}
 */
export function entryPointsFromExports(configUrl) {
  const dir = dirname(fileURLToPath(configUrl));
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === "./package.json" || typeof target !== "object" || target === null) continue;
    const source = target["@bitnet-quantize/source"];
    if (typeof source === "string") out.push(source);
  }
  return out;
}
