// Smoke test of the main demo's recipe at a tiny size: it trains, writes the
// loss curve and a GGUF that imports back with identical logits. Also the
// corpus generator and the SVG writer on their own.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { DEFAULT_TRAIN_OPTIONS, trainLm } from "../src/train-lm.js";
import { generateCorpus } from "../src/lm/corpus.js";
import { lossCurveSvg } from "../src/lm/loss-svg.js";

const dir = mkdtempSync(join(tmpdir(), "bitnet-train-lm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("trainLm (tiny)", () => {
  it("trains a few steps, writes loss.svg and a TQ2_0 GGUF that imports back with identical logits", async () => {
    const data = join(dir, "stories.txt");
    writeFileSync(data, generateCorpus({ stories: 60, seed: 3 }));
    const lines: string[] = [];
    const r = await trainLm(
      { ...DEFAULT_TRAIN_OPTIONS, steps: 3, dim: 256, layers: 1, heads: 2, kvHeads: 1, ffnDim: 256, context: 16, batch: 2, vocab: 300, data, outDir: dir, sampleEvery: 2, progress: false },
      (l) => lines.push(l),
    );
    expect(r.losses).toHaveLength(3);
    for (const l of r.losses) expect(Number.isFinite(l)).toBe(true);
    expect(readFileSync(r.svgPath, "utf8")).toMatch(/^<svg[^>]*>[\s\S]*<\/svg>\n$/);
    const d = r.distribution;
    expect(d.minus + d.zero + d.plus).toBeCloseTo(1, 10);
    expect(lines.some((l) => l.includes("llama-cli -m"))).toBe(true);
    const back = importGguf(readFileSync(r.ggufPath));
    const ids = r.tokenizer.encode("one day tom saw a cat");
    expect(Array.from(back.model.logits(ids))).toEqual(Array.from(r.model.logits(ids)));
    expect(back.tokenizer.encode("one day")).toEqual(r.tokenizer.encode("one day"));
  });
});

describe("helpers", () => {
  it("generateCorpus is seeded: same seed same text, one story per line", () => {
    const a = generateCorpus({ stories: 5, seed: 1 });
    expect(generateCorpus({ stories: 5, seed: 1 })).toBe(a);
    expect(generateCorpus({ stories: 5, seed: 2 })).not.toBe(a);
    expect(a.trimEnd().split("\n")).toHaveLength(5);
    expect(a.startsWith("one day ")).toBe(true);
  });
  it("lossCurveSvg draws the raw and the averaged curve", () => {
    const svg = lossCurveSvg([6, 5, 4, 3.5, 3], { smooth: 2, title: "a<b" });
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain("a&lt;b");
  });
});
