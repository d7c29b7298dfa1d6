// BitNet generation on WebGPU: a model whose frozen weights live on the GPU
// (copied there once) runs every projection through the GPU's ternaryMatmul
// and never the CPU kernel, and greedy decoding gives the CPU's tokens.
import { describe, expect, it } from "vitest";
import { type Backend, type TernaryMatmulArgs, getBackend } from "@bitnet-quantize/tensor";
import { BitNetModel } from "@bitnet-quantize/bitnet";
import { anyBackend } from "./webgpu-env.js";

const acquired = await anyBackend();
if (acquired.backend === null) console.warn(`skipping WebGPU generate tests: ${acquired.reason}`);

/** Counts the ternaryMatmul calls of backend `b` (wrapping its method until `restore`). */
function countTernary(b: Backend): { calls: () => number; restore: () => void } {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as is, and called below with .call(b, …)
  const orig = b.ternaryMatmul;
  if (orig === undefined) throw new Error(`${b.name} has no ternaryMatmul`);
  let n = 0;
  b.ternaryMatmul = (args: TernaryMatmulArgs) => {
    n++;
    return orig.call(b, args);
  };
  return { calls: () => n, restore: () => void (b.ternaryMatmul = orig) };
}

describe.skipIf(acquired.backend === null)("generate on WebGPU", () => {
  it("every projection runs on the GPU; the CPU kernel is never hit; the tokens equal the CPU's", async () => {
    const gpu = acquired.backend as Backend;
    const cfg = { vocabSize: 40, dim: 64, layers: 2, heads: 4, kvHeads: 2, ffnDim: 128, contextLength: 16 };
    const model = new BitNetModel(cfg, { seed: 6 }).freeze();
    const prompt = [1, 7, 3];
    const maxTokens = 4;
    const expected = model.generate(prompt, { maxTokens, activations: "float" });
    const onGpu = countTernary(gpu);
    const onCpu = countTernary(getBackend());
    try {
      const out = await model.generateAsync(prompt, { maxTokens, activations: "float", backend: gpu });
      expect(onGpu.calls()).toBe(7 * cfg.layers * maxTokens);
      expect(onCpu.calls()).toBe(0);
      expect(out).toEqual(expected);
      // the packed weights now live on the GPU: a second run copies nothing and still never reaches the CPU kernel
      await model.generateAsync(prompt, { maxTokens: 2, activations: "int8", backend: gpu });
      expect(onCpu.calls()).toBe(0);
    } finally {
      onGpu.restore();
      onCpu.restore();
    }
  });
});
