// The backend conformance suite on the CPU backend: the same cases the WebGPU
// backend runs, so both are held to one set of independent expectations.
// Twice: with the WebAssembly SIMD kernels (the default where SIMD
// validates) and with them forced off (the plain JavaScript kernels).
import { describe, expect, it } from "vitest";
import { cpuBackend } from "@bitnet-quantize/tensor";
import { conformanceCases } from "@bitnet-quantize/tensor/testing";
import { wasmSimdSupported } from "../src/wasm/index.js";

describe("backend conformance: cpu (WebAssembly SIMD kernels)", () => {
  it("runs on an engine where SIMD validates (Node 20+)", () => {
    expect(wasmSimdSupported()).toBe(true);
  });
  const backend = cpuBackend();
  for (const c of conformanceCases()) {
    it(c.name, async () => {
      await c.run(backend);
    });
  }
});

describe("backend conformance: cpu (simd: false, JavaScript kernels)", () => {
  const backend = cpuBackend({ simd: false });
  for (const c of conformanceCases()) {
    it(c.name, async () => {
      await c.run(backend);
    });
  }
});
