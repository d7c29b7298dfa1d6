// The long fuzz run: `node --conditions=@bitnet-quantize/source --import tsx packages/safetensors/scripts/fuzz.ts [cases] [seed]`.
// Same cases as test/fuzz.prop.test.ts, many more of them; prints how many ran and how they ended.
import fc from "fast-check";
import { checkCase, mutate, mutation, seedFiles } from "../test/helpers/fuzz-cases.js";

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 0x5afe);
if (!Number.isSafeInteger(cases) || cases < 1 || !Number.isSafeInteger(seed)) {
  console.error("usage: fuzz.ts [cases (default 100000)] [seed]");
  process.exit(2);
}

const seeds = seedFiles();
const outcomes = { parsed: 0, rejected: 0 };
const start = performance.now();
fc.assert(
  fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (s, mutations) => {
    outcomes[checkCase(mutate(seeds[s], mutations))]++;
  }),
  { seed, numRuns: cases },
);
const seconds = ((performance.now() - start) / 1000).toFixed(1);
console.log(
  `safetensors fuzz: ${outcomes.parsed + outcomes.rejected} cases (seed ${seed}): ${outcomes.parsed} parsed, ` +
    `${outcomes.rejected} rejected with SafetensorsError, 0 other errors; ${seconds} s`,
);
