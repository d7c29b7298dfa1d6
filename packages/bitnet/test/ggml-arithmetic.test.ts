// `arithmetic: "ggml"` (llama.cpp's CPU backend bit for bit) is opt-in: it
// routes every projection through BitLinear.projectGgml and tensor's
// ternaryMatmulQ8KGgml, and the host loops through ggml-float.ts (spies on
// both modules), while the default "fast" arithmetic touches none of them
// and gives the same logits as before; projectGgml is the op on the layer's
// words with llama.cpp's split of the scales (from the GGUF loader, or
// derived as exportGguf writes them); the options it needs are checked.
import { describe, expect, it, vi } from "vitest";
import { BitLinear, BitNetError, BitNetModel, type GgmlWeightScales, type SpmTokenizer, trainTokenizer } from "@bitnet-quantize/bitnet";
import { encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { type Backend, cpuBackend, randn, tensor } from "@bitnet-quantize/tensor";
import { ternaryMatmulQ8KGgmlReference } from "@bitnet-quantize/tensor/quant";
import type * as QuantModule from "@bitnet-quantize/tensor/quant";
import type * as GgmlFloatModule from "../src/model/ggml-float.js";

// spies around the real functions (the inference pass imports these modules)
vi.mock("@bitnet-quantize/tensor/quant", async (importOriginal) => {
  const m = await importOriginal<typeof QuantModule>();
  return { ...m, ternaryMatmulQ8KGgml: vi.fn(m.ternaryMatmulQ8KGgml) };
});
vi.mock("../src/model/ggml-float.js", async (importOriginal) => {
  const m = await importOriginal<typeof GgmlFloatModule>();
  return { ...m, fmaF32: vi.fn(m.fmaF32), dotF16Ggml: vi.fn(m.dotF16Ggml), dotF32Ggml: vi.fn(m.dotF32Ggml), dotTinyBlas16: vi.fn(m.dotTinyBlas16), expF32Ggml: vi.fn(m.expF32Ggml), siluF32Ggml: vi.fn(m.siluF32Ggml) };
});
const quant = await import("@bitnet-quantize/tensor/quant");
const ggmlFloat = await import("../src/model/ggml-float.js");

const tok: SpmTokenizer = trainTokenizer("the cat sat on the mat. the dog sat on the log.\n".repeat(10), 280);
const ids = tok.encode("the cat sat on the log");
const cfg = { vocabSize: tok.vocabSize, dim: 256, layers: 2, heads: 4, kvHeads: 2, ffnDim: 512, contextLength: 24 } as const;
const exact = { activations: "q8_K", kvCache: "f16", lmHeadInput: "f16", arithmetic: "ggml" } as const;
const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The spied ggml functions and how often each ran since the last call. */
function ggmlCalls(): Record<string, number> {
  const spies = {
    ternaryMatmulQ8KGgml: quant.ternaryMatmulQ8KGgml, fmaF32: ggmlFloat.fmaF32, dotF16Ggml: ggmlFloat.dotF16Ggml, dotF32Ggml: ggmlFloat.dotF32Ggml, dotTinyBlas16: ggmlFloat.dotTinyBlas16,
    expF32Ggml: ggmlFloat.expF32Ggml, siluF32Ggml: ggmlFloat.siluF32Ggml,
  };
  const calls = Object.fromEntries(Object.entries(spies).map(([k, f]) => [k, vi.mocked(f).mock.calls.length]));
  for (const f of Object.values(spies)) vi.mocked(f).mockClear();
  return calls;
}

describe('arithmetic "ggml": llama.cpp\'s CPU backend, opt-in', () => {
  const model = new BitNetModel(cfg, { seed: 3 });

  it('routes every projection through projectGgml and ternaryMatmulQ8KGgml, and the host loops through ggml-float', () => {
    const projectGgml = vi.spyOn(BitLinear.prototype, "projectGgml");
    const project = vi.spyOn(BitLinear.prototype, "project");
    try {
      const inf = model.inference(exact);
      const cache = inf.newCache();
      ggmlCalls();
      inf.forward(ids, cache, true); // several rows: tinyBLAS lanes for the lm_head
      inf.forward([4], cache); // one row: ggml_vec_dot_f16 lanes
      const calls = ggmlCalls();
      expect(calls.ternaryMatmulQ8KGgml).toBe(2 * 7 * cfg.layers);
      expect(projectGgml).toHaveBeenCalledTimes(2 * 7 * cfg.layers);
      expect(project).not.toHaveBeenCalled();
      for (const f of ["fmaF32", "dotF16Ggml", "dotTinyBlas16", "expF32Ggml", "siluF32Ggml"]) expect(calls[f], f).toBeGreaterThan(0);
      expect(calls.dotF32Ggml).toBe(0);
    } finally {
      projectGgml.mockRestore();
      project.mockRestore();
    }
  });

  it('"fast" (the default) touches none of it and gives the same logits as no option at all; "ggml" differs from it', () => {
    const projectGgml = vi.spyOn(BitLinear.prototype, "projectGgml");
    try {
      ggmlCalls();
      const plain = model.logits(ids, { activations: "q8_K", kvCache: "f16", lmHeadInput: "f16" });
      const fast = model.logits(ids, { activations: "q8_K", kvCache: "f16", lmHeadInput: "f16", arithmetic: "fast" });
      expect(Object.values(ggmlCalls()).every((n) => n === 0)).toBe(true);
      expect(projectGgml).not.toHaveBeenCalled();
      expect(bitsOf(fast)).toEqual(bitsOf(plain));
      expect(model.inference({ activations: "q8_K" }).arithmetic).toBe("fast");
      const ggml = model.logits(ids, exact);
      expect(bitsOf(ggml)).not.toEqual(bitsOf(fast));
      // float rounding apart (an fp16 step of the lm_head input at most)
      let diff = 0;
      let range = 0;
      for (let i = 0; i < ggml.length; i++) {
        diff = Math.max(diff, Math.abs(ggml[i] - fast[i]));
        range = Math.max(range, Math.abs(fast[i]));
      }
      expect(diff).toBeLessThan(1e-2 * range);
    } finally {
      projectGgml.mockRestore();
    }
  });

  it('lmHeadInput "f32" (an F32 token_embd) runs ggml_vec_dot_f32\'s lanes on the unrounded input', () => {
    const inf = model.inference({ ...exact, lmHeadInput: "f32" });
    const cache = inf.newCache();
    ggmlCalls();
    const a = inf.forward(ids, cache);
    const calls = ggmlCalls();
    expect(calls.dotF32Ggml).toBe(cfg.vocabSize); // one row: a dot per logit
    const f16 = model.inference(exact);
    expect(bitsOf(a)).not.toEqual(bitsOf(f16.forward(ids, f16.newCache())));
  });

  it("flows through generate", () => {
    ggmlCalls();
    expect(model.generate([1, 2], { maxTokens: 3, ...exact })).toHaveLength(3);
    expect(ggmlCalls().ternaryMatmulQ8KGgml).toBeGreaterThan(0);
    model.generate([1, 2], { maxTokens: 3, activations: "q8_K", kvCache: "f16", lmHeadInput: "f16" });
    expect(ggmlCalls().ternaryMatmulQ8KGgml).toBe(0);
  });

  it("refuses the options it cannot emulate, naming the option", () => {
    const noSync: Backend = { ...cpuBackend(), name: "no-sync-reads" };
    delete noSync.readSync; // as WebGPU: reads only asynchronously
    const cases: [object, RegExp][] = [
      [{ ...exact, activations: "int8" }, /arithmetic "ggml".*needs activations "q8_K"; got "int8"/],
      [{ ...exact, activations: undefined }, /needs activations "q8_K"/],
      [{ ...exact, kvCache: "f32" }, /arithmetic "ggml".*needs kvCache "f16"; got "f32"/],
      [{ ...exact, backend: noSync }, /arithmetic "ggml".*needs a backend with synchronous reads \(CPU\); got backend no-sync-reads/],
      [{ ...exact, arithmetic: "exact" }, /arithmetic must be "fast" or "ggml", got "exact"/],
    ];
    for (const [opts, msg] of cases) {
      expect(() => model.inference(opts)).toThrow(BitNetError);
      expect(() => model.inference(opts)).toThrow(msg);
    }
  });
});

describe("BitLinear.projectGgml and ggmlScales", () => {
  it("is ternaryMatmulQ8KGgml on the layer's words with xd = 1/iscale and the block d, then the per-tensor scale", () => {
    const layer = new BitLinear(512, 6, { seed: 7, bias: false }).freeze();
    const { blockD, tensorScale } = layer.ggmlScales();
    const s = layer.quantizedWeight().scales.dataSync()[0];
    expect(tensorScale).toBe(s);
    expect(Array.from(blockD)).toEqual(new Array(12).fill(1));
    const input = layer.prepare(randn([3, 512], { seed: 8 }), "q8_K");
    const got = layer.projectGgml(input).dataSync() as Float32Array;
    const want = new Float32Array(3 * 6);
    const packed = quant.packTernaryArray(layer.quantizedWeight().codes.dataSync(), 6, 512);
    ternaryMatmulQ8KGgmlReference(input.operands.x.dataSync() as Int8Array, Float32Array.from(input.operands.xScale.dataSync(), (v) => 1 / v), packed, blockD, 3, 6, 512, want);
    for (let i = 0; i < want.length; i++) want[i] = Math.fround(want[i] * tensorScale);
    expect(bitsOf(got)).toEqual(bitsOf(want));
    expect(layer.projectGgml(input).shape).toEqual([3, 6]);
    expect(() => layer.projectGgml(layer.prepare(randn([1, 512]), "int8"))).toThrow(/"ggml" arithmetic needs a "q8_K" input, got "int8"/);
  });

  it("an all-zero block gets d = 0 (its lanes are not all 0: llama.cpp's d matters there)", () => {
    const codes = new Int8Array(2 * 512).map((_, i) => (i >= 256 && i < 512 ? 0 : ((i * 5) % 3) - 1));
    const layer = BitLinear.fromPacked({ packed: quant.packTernary(tensor(codes, [2, 512], "int8")), scales: tensor([[0.5], [0.5]]), groupColumns: 512 });
    expect(Array.from(layer.ggmlScales().blockD)).toEqual([1, 0, 1, 1]);
  });

  it("a layer imported from our TQ2_0 export has the split the in-memory layer derives, and the same bits", () => {
    const m = new BitNetModel(cfg, { seed: 11 });
    const back = importGguf(encodeGguf(m, tok, { type: "TQ2_0", warn: () => {} })).model;
    const split = (x: BitNetModel): GgmlWeightScales[] => x.inferenceWeights().layers.flatMap((l) => [l.q, l.k, l.v, l.o, l.gate, l.up, l.down].map((p) => p.ggmlScales()));
    const a = split(m);
    const b = split(back);
    expect(b.map((s) => s.tensorScale)).toEqual(a.map((s) => s.tensorScale));
    expect(b.map((s) => Array.from(s.blockD))).toEqual(a.map((s) => Array.from(s.blockD)));
    expect(bitsOf(back.logits(ids, exact))).toEqual(bitsOf(m.logits(ids, exact)));
  });
});
