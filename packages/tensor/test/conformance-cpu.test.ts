// The backend conformance suite on the CPU backend: the same cases the WebGPU
// backend runs, so both are held to one set of independent expectations.
import { describe, it } from "vitest";
import { cpuBackend } from "@bitnet-quantize/tensor";
import { conformanceCases } from "@bitnet-quantize/tensor/testing";

describe("backend conformance: cpu", () => {
  const backend = cpuBackend();
  for (const c of conformanceCases()) {
    it(c.name, async () => {
      await c.run(backend);
    });
  }
});
