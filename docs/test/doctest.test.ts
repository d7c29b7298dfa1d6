// Doctests: every `@example` of every exported symbol runs, and the values
// its comments state are asserted (convention: docs/doctest/expected.ts).
// The context examples take for granted (`model`, `tok`, `x`) comes from
// docs/doctest/fixtures.ts; those that need more (a GPU, a file on disk) are
// listed as skipped with the missing name; a floor on the number that run
// guards against the extractor silently finding nothing.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FASHION_MNIST_DIR, FASHION_MNIST_FILES } from "@bitnet-quantize/cli/node";
import * as vitest from "vitest";
import { afterAll, describe, expect, it } from "vitest";
import * as webgpu from "webgpu";
import { extractExamples } from "../doctest/extract.js";
import { type Outcome, runExample } from "../doctest/run.js";
import { acquireGpu } from "../doctest/gpu.js";
import { DOCTEST_PACKAGES, doctestScope } from "../doctest/scope.js";

const root = resolve(import.meta.dirname, "..", "..");
const examples = extractExamples(root, DOCTEST_PACKAGES);
// Examples that write files ("out/model.gguf") write them in a scratch directory.
const home = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), "bitnet-doctest-"));
process.chdir(scratch);
afterAll(() => {
  process.chdir(home);
  rmSync(scratch, { recursive: true, force: true });
});

// The WebGPU examples run on Dawn (Vulkan, else OpenGL ES compatibility); without an adapter they are skipped with the reason.
const device = await acquireGpu();
console.log(`doctests WebGPU: ${device.backend === null ? device.reason : device.driver}`);
// Modules examples import that are not ours: Dawn for Node, and vitest (the examples of test helpers).
const foreign = { webgpu, vitest };

// The cli's readIdx and loadFashionMnist examples read Debian's Fashion-MNIST (package dataset-fashion-mnist, installed by .ci/run);
// where it is not installed they are skipped, saying which file is missing.
const fashionMnist = Object.values(FASHION_MNIST_FILES).every((f) => existsSync(join(FASHION_MNIST_DIR, f)));
if (!fashionMnist) console.log(`doctests Fashion-MNIST: not in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist): the cli's readIdx and loadFashionMnist examples are skipped`);

/** At least this many examples of each package run to a verdict (they all pass). */
// (Without a WebGPU adapter the tensor package's 4 and backend-webgpu's 10 examples that need the device are skipped;
// without Fashion-MNIST the cli's 2 that read it.)
const GPU_ONLY: Partial<Record<(typeof DOCTEST_PACKAGES)[number], number>> = device.backend === null ? { tensor: 4, bitnet: 1, "backend-webgpu": 10 } : {};
const FLOOR: Record<(typeof DOCTEST_PACKAGES)[number], number> = {
  tensor: 232 - (GPU_ONLY.tensor ?? 0),
  autograd: 234,
  gguf: 133,
  safetensors: 44,
  bitnet: 204 - (GPU_ONLY.bitnet ?? 0),
  "backend-webgpu": 13 - (GPU_ONLY["backend-webgpu"] ?? 0),
  cli: 39 - (fashionMnist ? 0 : 2),
};

for (const pkg of DOCTEST_PACKAGES) {
  const mine = examples.filter((e) => e.pkg === pkg);
  const { scope, modules: ours } = await doctestScope(root, pkg);
  const modules = { ...ours, ...foreign };
  const outcomes = new Map<(typeof mine)[number], Outcome>();
  const slow: [string, number][] = [];
  for (const e of mine) {
    const t0 = performance.now();
    outcomes.set(e, await runExample(e, scope, modules));
    slow.push([e.symbol, performance.now() - t0]);
  }
  if (process.env["DOCTEST_TIMES"] !== undefined) console.log(`doctests ${pkg} slowest: ${slow.sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`).join(", ")}`);
  describe(`@example blocks of @bitnet-quantize/${pkg}`, () => {
    it(`run: at least ${FLOOR[pkg]} of ${mine.length}`, () => {
      const ran = [...outcomes.values()].filter((o) => o.status !== "context").length;
      console.log(`doctests ${pkg}: ${ran} of ${mine.length} examples run (${[...outcomes.values()].reduce((n, o) => n + (o.status === "passed" ? o.checks : 0), 0)} stated values asserted), ${mine.length - ran} need context`);
      expect(ran).toBeGreaterThanOrEqual(FLOOR[pkg]);
    });
    for (const [e, o] of outcomes) {
      const name = `${e.symbol} (${e.file}:${e.line})`;
      // Reason: an example that needs names it does not define (and no fixture gives them) cannot run on its
      // own; it is listed as skipped with the missing name, and the floor above keeps such examples rare.
      if (o.status === "context") it.skip(`${name}: ${o.reason}`, () => undefined);
      else
        it(name, () => {
          if (o.status === "failed") throw new Error(`${e.file}:${e.line} ${e.symbol}: ${o.error}\n${e.code}`);
          expect(o.status).toBe("passed");
        });
    }
  });
}
