// Fuzzing: mutated and truncated valid files either parse (every tensor inside the file, tiling the
// data buffer, readable) or throw SafetensorsError; never another exception. `scripts/fuzz.ts` runs more cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCase, mutate, mutation, seedFiles } from "./helpers/fuzz-cases.js";

const seeds = seedFiles();

describe("fuzzing parseSafetensors", () => {
  it("every seed file parses unmutated", () => {
    expect(seeds.map((s) => checkCase(s))).toEqual(["parsed", "parsed", "parsed"]);
  });

  it("3000 mutated files: each parses consistently or throws SafetensorsError", () => {
    const outcomes = { parsed: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        outcomes[checkCase(mutate(seeds[seed], mutations))]++;
      }),
      { seed: 0x5afe, numRuns: 3000 },
    );
    console.log(`safetensors fuzz: ${outcomes.parsed + outcomes.rejected} cases, ${outcomes.parsed} parsed, ${outcomes.rejected} rejected with SafetensorsError`);
    expect(outcomes.parsed + outcomes.rejected).toBe(3000);
    // Both paths are exercised: mutations in tensor data or padding still parse; most break the header.
    expect(outcomes.parsed).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });
});
