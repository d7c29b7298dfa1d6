// The same typed errors on every backend (issue 16): the quantizers' NaN/Inf
// checks and packTernary's value check throw on WebGPU too, at the next read
// (the tensor-level index and packTernary cases run in the conformance suite).
import { describe, expect, it } from "vitest";
import { type Backend, cpuBackend, tensor } from "@bitnet-quantize/tensor";
import { QuantizationError, absMaxInt8, absMeanTernary } from "@bitnet-quantize/bitnet";
import { anyBackend } from "./webgpu-env.js";

const acquired = await anyBackend();
if (acquired.backend === null) console.warn(`skipping WebGPU error tests: ${acquired.reason}`);

const backends: [string, Backend | null][] = [
  ["cpu", cpuBackend()],
  ["webgpu", acquired.backend],
];

for (const [label, backend] of backends) {
  // Reason: no WebGPU adapter on this machine (printed above); the skip is reported, not silent.
  describe.skipIf(backend === null)(`quantizer checks on ${label}`, () => {
    const b = backend as Backend;
    for (const bad of [NaN, Infinity, -Infinity]) {
      it(`absMaxInt8 rejects ${bad} with QuantizationError`, async () => {
        await expect(async () => absMaxInt8(tensor([[1, bad, 2]], undefined, "float32", b)).codes.data()).rejects.toThrow(QuantizationError);
      });
      it(`absMeanTernary rejects ${bad} with QuantizationError`, async () => {
        await expect(async () => absMeanTernary(tensor([[1, 2], [bad, 0]], undefined, "float32", b)).codes.data()).rejects.toThrow(QuantizationError);
      });
    }
    it("a failed check is reported once; later work on the backend reads normally", async () => {
      await expect(async () => absMaxInt8(tensor([[NaN, 1]], undefined, "float32", b)).codes.data()).rejects.toThrow(QuantizationError);
      const q = absMaxInt8(tensor([[64, -127, 32, 0]], undefined, "float32", b));
      expect(Array.from(await q.codes.data())).toEqual([64, -127, 32, 0]);
    });
  });
}
