// The long fuzz run: `node --conditions=@bitnet-quantize/source --import tsx packages/gguf/scripts/fuzz.ts [cases] [seed]`.
// Same cases as test/fuzz.prop.test.ts and test/fuzz-import.test.ts, many more of them: byte-level
// mutations through parseGguf (and the streaming reader), then the same number of safetensors cases
// (the safetensors package's own harness, also run alone by packages/safetensors/scripts/fuzz.ts), so
// one command fuzzes both readers of model files, then structure-aware mutations through importGguf,
// each case timed and the process's peak memory watched. Prints how many ran and how they ended;
// exits 1 when a case threw an untyped error, took over 2 s, or grew the peak by 512 MiB.
import fc from "fast-check";
import { checkCase, checkStreamingCase, mutate, mutation, seedFiles } from "../test/helpers/fuzz-cases.js";
import { type StructuredMutation, ggufLayout, mutateStructured, structuredMutation } from "../test/helpers/gguf-fields.js";
import { type ImportOutcome, checkImportCase, modelSeeds } from "../test/helpers/import-fuzz.js";
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
      outcomes[checkCase(mutate(seeds[s], mutations), strict)]++;
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
      await checkStreamingCase(mutate(seeds[s], mutations), strict, initialBytes);
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
    stOutcomes[st.checkCase(st.mutate(stSeeds[s], mutations))]++;
  }),
  { seed: seed + 2, numRuns: cases },
);
console.log(
  `safetensors fuzz: ${stOutcomes.parsed + stOutcomes.rejected} cases (seed ${seed + 2}): ${stOutcomes.parsed} parsed, ` +
    `${stOutcomes.rejected} rejected with SafetensorsError, 0 other errors; ${((performance.now() - stStart) / 1000).toFixed(1)} s`,
);

// structure-aware cases through importGguf
const models = modelSeeds();
const layouts = models.map(ggufLayout);
const imports: Record<ImportOutcome, number> = { imported: 0, "rejected-gguf": 0, "rejected-model": 0 };
let untyped = 0;
let over2s = 0;
let slowest = 0;
let slowestWall = 0;
const peakBefore = process.resourceUsage().maxRSS * 1024;
const importStart = performance.now();
fc.assert(
  fc.property(fc.integer({ min: 0, max: models.length - 1 }), fc.array(structuredMutation, { minLength: 1, maxLength: 3 }), (s, mutations: StructuredMutation[]) => {
    const bytes = mutateStructured(models[s], layouts[s], mutations);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      imports[checkImportCase(bytes)]++;
    } catch (e) {
      untyped++;
      console.error(`untyped error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} for ${JSON.stringify(mutations, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}`);
    }
    // the 2 s limit is on the CPU time of the case (user + system): on a loaded
    // machine wall time measures the neighbours; the slowest wall time is reported too
    const cpu = process.cpuUsage(cpu0);
    const ms = (cpu.user + cpu.system) / 1000;
    const wall = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    slowestWall = Math.max(slowestWall, wall);
    if (ms > 2000) over2s++;
    if (ms > 1000) console.error(`slow case (${ms.toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall): ${JSON.stringify(mutations, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}`);
  }),
  { seed: seed + 3, numRuns: cases },
);
const grownMiB = (process.resourceUsage().maxRSS * 1024 - peakBefore) / 2 ** 20;
console.log(
  `import fuzz: ${cases} structure-aware cases (seed ${seed + 3}): ${imports.imported} imported, ${imports["rejected-gguf"]} GgufError, ` +
    `${imports["rejected-model"]} GgufModelError, ${untyped} other errors; slowest case ${slowest.toFixed(0)} ms CPU (${slowestWall.toFixed(0)} ms wall), ${over2s} over 2 s CPU; ` +
    `peak RSS grew ${grownMiB.toFixed(0)} MiB; ${((performance.now() - importStart) / 1000).toFixed(1)} s`,
);
if (untyped > 0 || over2s > 0 || grownMiB >= 512) process.exit(1);
