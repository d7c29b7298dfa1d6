// The API reference documents exactly the public subpaths: each package's
// TypeDoc entry points are the sources of its package.json exports (so a
// subpath added or removed there shows up in the docs), and every one exists.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { entryPointsFromExports } from "../../scripts/typedoc-entry-points.mjs";

const root = resolve(import.meta.dirname, "..", "..");
const typedoc = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8")) as { entryPoints: string[]; readme: string; projectDocuments: string[] };

describe("docs configuration", () => {
  it("documents every published package", () => {
    const published = readdirSync(join(root, "packages")).filter((p) => {
      const pkg = JSON.parse(readFileSync(join(root, "packages", p, "package.json"), "utf8")) as { private?: boolean };
      return pkg.private !== true;
    });
    expect([...typedoc.entryPoints].sort()).toEqual(published.map((p) => `packages/${p}`).sort());
  });

  for (const entry of typedoc.entryPoints) {
    it(`${entry}: entry points are its exports' sources, and exist`, async () => {
      const config = (await import(join(root, entry, "typedoc.config.mjs"))) as { default: { entryPoints: string[] } };
      const pkg = JSON.parse(readFileSync(join(root, entry, "package.json"), "utf8")) as { exports: Record<string, string | { "@bitnet-quantize/source"?: string }> };
      const sources = Object.entries(pkg.exports).flatMap(([k, v]) => (k !== "./package.json" && typeof v === "object" && v["@bitnet-quantize/source"] !== undefined ? [v["@bitnet-quantize/source"]] : []));
      expect(config.default.entryPoints).toEqual(sources);
      expect(entryPointsFromExports(new URL(`file://${join(root, entry, "typedoc.config.mjs")}`).href)).toEqual(sources);
      for (const s of sources) expect(existsSync(join(root, entry, s)), s).toBe(true);
    });
  }

  it("has the getting-started page as the front page and every guide as a document", () => {
    expect(typedoc.readme).toBe("docs/guides/getting-started.md");
    const guides = readdirSync(join(root, "docs", "guides")).filter((f) => f.endsWith(".md") && f !== "getting-started.md");
    expect([...typedoc.projectDocuments].sort()).toEqual(guides.map((g) => `docs/guides/${g}`).sort());
  });
});
