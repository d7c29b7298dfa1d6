// The backend conformance suite from @bitnet-quantize/tensor/testing on real
// WebGPU: Dawn on Vulkan (lavapipe here) and Dawn's OpenGL ES path in
// compatibility mode. Skips only where no adapter can be had, saying why.
import { afterAll, describe, it } from "vitest";
import { conformanceCases } from "@bitnet-quantize/tensor/testing";
import { type Acquired, anyBackend, openglesBackend } from "./webgpu-env.js";

const primary = await anyBackend();
const compat = primary.backend !== null && primary.backend.info.featureLevel === "compatibility" ? primary : await openglesBackend();

for (const [label, acquired] of [
  ["webgpu", primary],
  ["webgpu compatibility (OpenGL ES)", compat],
] as const satisfies readonly (readonly [string, Acquired])[]) {
  if (acquired.backend === null) {
    console.warn(`skipping conformance on ${label}: ${acquired.reason}`);
    // Reason: no WebGPU adapter of this kind can be had on this machine (printed above); the skip is reported, not silent.
    describe.skip(`backend conformance: ${label}`, () => {
      it("needs a WebGPU adapter", () => {});
    });
    continue;
  }
  const backend = acquired.backend;
  describe(`backend conformance: ${label} via ${acquired.driver}`, () => {
    afterAll(() => {
      if (acquired !== primary || compat !== primary) backend.destroy();
    });
    for (const c of conformanceCases({ float64: false })) {
      it(c.name, async () => {
        await c.run(backend);
      });
    }
  });
}
