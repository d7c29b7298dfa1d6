// Runs the tinybench suites in this folder: `npm run bench -- <suite...>`.
// Each suite is `<name>.bench.ts` exporting `run(): Promise<void>`, which runs
// the candidate and its baseline side by side in one process and prints a table.
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

interface Suite {
  run(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .sort();

const asked = process.argv.slice(2).filter((a) => !a.startsWith("-"));
if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`usage: npm run bench -- [suite ...]\nsuites: ${available.join(", ")}`);
  process.exit(0);
}
const unknown = asked.filter((a) => !available.includes(a));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : available) {
  console.log(`\n## ${name}\n`);
  const suite = (await import(`./${name}.bench.ts`)) as Suite;
  await suite.run();
}
