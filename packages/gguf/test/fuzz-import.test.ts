// Structure-aware fuzzing of importGguf: mutated counts, lengths, nesting,
// type ids, dims, offsets, alignment, metadata values and truncation at field
// boundaries of valid BitNet files. Every case imports or fails with
// GgufError / GgufModelError, and none raises the process's peak memory by
// 512 MiB. `scripts/fuzz.ts` runs the long version (and reports per-case times).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type StructuredMutation, ggufLayout, mutateStructured, structuredMutation } from "./helpers/gguf-fields.js";
import { type ImportOutcome, checkImportCase, modelSeeds } from "./helpers/import-fuzz.js";

const seeds = modelSeeds();
const layouts = seeds.map(ggufLayout);
const CASES = 3000;

describe("fuzzing importGguf (structure-aware)", () => {
  it("the seeds import and their layouts cover every field kind", () => {
    expect(seeds.map(checkImportCase)).toEqual(["imported", "imported", "imported"]);
    const kinds = new Set(layouts.flatMap((l) => l.fields.map((f) => f.kind)));
    for (const k of ["version", "tensorCount", "kvCount", "keyLength", "valueType", "stringLength", "arrayItemType", "arrayCount", "scalar", "nameLength", "nDims", "ne", "tensorType", "tensorOffset"]) expect(kinds).toContain(k);
  });

  it(`${CASES} mutated model files: each imports or fails with GgufError / GgufModelError, within 512 MiB`, { timeout: 120_000 }, () => {
    const outcomes: Record<ImportOutcome, number> = { imported: 0, "rejected-gguf": 0, "rejected-model": 0 };
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    let slowest = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(structuredMutation, { minLength: 1, maxLength: 3 }), (s, mutations: StructuredMutation[]) => {
        const t0 = performance.now();
        outcomes[checkImportCase(mutateStructured(seeds[s], layouts[s], mutations))]++;
        slowest = Math.max(slowest, performance.now() - t0);
      }),
      { seed: 0x17f22, numRuns: CASES },
    );
    const grown = process.resourceUsage().maxRSS * 1024 - peakBefore;
    console.log(`import fuzz: ${CASES} cases: ${JSON.stringify(outcomes)}; slowest case ${slowest.toFixed(0)} ms; peak RSS grew ${(grown / 2 ** 20).toFixed(0)} MiB`);
    expect(outcomes.imported + outcomes["rejected-gguf"] + outcomes["rejected-model"]).toBe(CASES);
    // the metadata checks are reached, not just the parser's
    expect(outcomes["rejected-model"]).toBeGreaterThan(CASES / 20);
    expect(outcomes["rejected-gguf"]).toBeGreaterThan(CASES / 20);
    expect(grown).toBeLessThan(512 * 2 ** 20);
  });
});
