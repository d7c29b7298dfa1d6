// The guides' code: every snippet in docs/guides/snippets runs (its asserts
// are the test), every snippet is included by a guide, every include points
// at a snippet (and a region) that exists, and no guide has an inline code
// block that no test would run.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "webgpu";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const guides = resolve(here, "..", "guides");
const snippets = join(guides, "snippets");
const guideFiles = readdirSync(guides).filter((f) => f.endsWith(".md"));
const snippetFiles = readdirSync(snippets).filter((f) => f.endsWith(".ts"));
// webgpu.ts needs a WebGPU adapter (Dawn on Vulkan); the only reason it may skip.
const adapter = await create([])
  .requestAdapter()
  .catch(() => null);
if (adapter === null) console.warn("skipping the WebGPU guide snippet: Dawn found no WebGPU adapter (install Mesa's lavapipe, see docs/guides/webgpu.md)");
const INCLUDE = /\{@includeCode\s+([^}#\s]+)(?:#([\w-]+))?\s*\}/g;

describe("guides", () => {
  const includes = guideFiles.flatMap((g) => [...readFileSync(join(guides, g), "utf8").matchAll(INCLUDE)].map((m) => ({ guide: g, file: m[1], region: m[2] })));

  it("include only snippets (and regions) that exist", () => {
    expect(includes.length).toBeGreaterThan(0);
    for (const inc of includes) {
      const path = resolve(guides, inc.file);
      expect(existsSync(path), `${inc.guide}: ${inc.file}`).toBe(true);
      if (inc.region !== undefined) expect(readFileSync(path, "utf8"), `${inc.guide}: ${inc.file}#${inc.region}`).toContain(`// #region ${inc.region}`);
    }
  });

  it("have no code block that is not an included snippet", () => {
    for (const g of guideFiles) {
      const fences = readFileSync(join(guides, g), "utf8").match(/^```(ts|js|typescript|javascript)\b/gm) ?? [];
      expect(fences, `${g} has an inline code block: move it to snippets/ and {@includeCode} it`).toEqual([]);
    }
  });

  it("include every snippet", () => {
    const used = new Set(includes.map((i) => resolve(guides, i.file)));
    for (const s of snippetFiles) expect(used.has(join(snippets, s)), `${s} is not included by any guide`).toBe(true);
  });
});

describe("guide snippets run", () => {
  for (const s of snippetFiles) {
    it.skipIf(s === "webgpu.ts" && adapter === null)(s, { timeout: 120_000 }, async () => {
      await import(join(snippets, s));
    });
  }
});
