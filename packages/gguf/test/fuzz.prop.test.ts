// Fuzzing: mutated and truncated valid files either parse (with every tensor inside the file and
// readable) or throw GgufError; never another exception. `scripts/fuzz.ts` runs more cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCase, checkStreamingCase, mutate, mutation, seedFiles } from "./helpers/fuzz-cases.js";

const seeds = seedFiles();
const fuzzInput = fc.record({
  seed: fc.integer({ min: 0, max: seeds.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  strict: fc.boolean(),
});

describe("fuzzing parseGguf", () => {
  it("every seed file parses unmutated", () => {
    expect(seeds.map((s) => checkCase(s, true))).toEqual(["parsed", "parsed", "parsed"]);
  });

  it("3000 mutated files: each parses consistently or throws GgufError", () => {
    const outcomes = { parsed: 0, rejected: 0 };
    fc.assert(
      fc.property(fuzzInput, ({ seed, mutations, strict }) => {
        outcomes[checkCase(mutate(seeds[seed], mutations), strict)]++;
      }),
      { seed: 0xf022, numRuns: 3000 },
    );
    console.log(`fuzz: ${outcomes.parsed + outcomes.rejected} cases, ${outcomes.parsed} parsed, ${outcomes.rejected} rejected with GgufError`);
    expect(outcomes.parsed + outcomes.rejected).toBe(3000);
    // Both paths are exercised: some mutations land in tensor data or padding, most break the header.
    expect(outcomes.parsed).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });

  it("300 mutated files: the streaming reader agrees with parseGguf", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fuzzInput, fc.integer({ min: 1, max: 4096 }), async ({ seed, mutations, strict }, initialBytes) => {
        runs++;
        await checkStreamingCase(mutate(seeds[seed], mutations), strict, initialBytes);
      }),
      { seed: 0xf023, numRuns: 300 },
    );
    expect(runs).toBe(300);
  });
});
