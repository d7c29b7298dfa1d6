// The long fuzz run: `node --conditions=@bitnet-quantize/source --import tsx packages/gguf/scripts/fuzz.ts [cases] [seed]`.
// Same cases as test/fuzz.prop.test.ts, many more of them; prints how many ran and how they ended.
// Then the same number of safetensors cases (the safetensors package's own harness, also run alone by
// packages/safetensors/scripts/fuzz.ts), so one command fuzzes both readers of model files.
import fc from "fast-check";
import { checkCase, checkStreamingCase, mutate, mutation, seedFiles } from "../test/helpers/fuzz-cases.js";
import * as st from "../../safetensors/test/helpers/fuzz-cases.js";

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 0xf022);
if (!Number.isSafeInteger(cases) || cases < 1 || !Number.isSafeInteger(seed)) {
  console.error("usage: fuzz.ts [cases (default 100000)] [seed]");
  process.exit(2);
}

const seeds = seedFiles();
const outcomes = { parsed: 0, rejected: 0 };
const start = performance.now();
fc.assert(
  fc.property(
    fc.record({ seed: fc.integer({ min: 0, max: seeds.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }), strict: fc.boolean() }),
    ({ seed: s, mutations, strict }) => {
      outcomes[checkCase(mutate(seeds[s]!, mutations), strict)]++;
    },
  ),
  { seed, numRuns: cases },
);
const streamCases = Math.max(1, Math.floor(cases / 20));
let streamed = 0;
await fc.assert(
  fc.asyncProperty(
    fc.record({ seed: fc.integer({ min: 0, max: seeds.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }), strict: fc.boolean() }),
    fc.integer({ min: 1, max: 4096 }),
    async ({ seed: s, mutations, strict }, initialBytes) => {
      await checkStreamingCase(mutate(seeds[s]!, mutations), strict, initialBytes);
      streamed++;
    },
  ),
  { seed: seed + 1, numRuns: streamCases },
);
const seconds = ((performance.now() - start) / 1000).toFixed(1);
console.log(
  `fuzz: ${outcomes.parsed + outcomes.rejected} cases (seed ${seed}): ${outcomes.parsed} parsed, ${outcomes.rejected} rejected with GgufError, 0 other errors; ` +
    `${streamed} streaming cases agreed with parseGguf; ${seconds} s`,
);

const stSeeds = st.seedFiles();
const stOutcomes = { parsed: 0, rejected: 0 };
const stStart = performance.now();
fc.assert(
  fc.property(fc.integer({ min: 0, max: stSeeds.length - 1 }), fc.array(st.mutation, { minLength: 1, maxLength: 6 }), (s, mutations) => {
    stOutcomes[st.checkCase(st.mutate(stSeeds[s]!, mutations))]++;
  }),
  { seed: seed + 2, numRuns: cases },
);
console.log(
  `safetensors fuzz: ${stOutcomes.parsed + stOutcomes.rejected} cases (seed ${seed + 2}): ${stOutcomes.parsed} parsed, ` +
    `${stOutcomes.rejected} rejected with SafetensorsError, 0 other errors; ${((performance.now() - stStart) / 1000).toFixed(1)} s`,
);
