// The inference engine (BitNetInference over frozen BitLinears and the
// backend's ternaryMatmul) against the plain reference forward
// (llama-reference.ts: llama.cpp's graph in scalar loops), in every
// activation mode and with both KV cache types; a spy backend proves that
// every projection runs on the backend holding the weights; the Q8_K
// quantizer and the fp16 rounding against their definitions.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  BitLinear, BitNetError, BitNetModel, QuantizationError, type ActivationMode, type KVCacheType, q8KActivations, roundToFloat16,
} from "@bitnet-quantize/bitnet";
import { f16BitsToF32, f32ToF16Bits } from "@bitnet-quantize/gguf/codecs";
import { type Backend, type TernaryMatmulArgs, type TernaryMatmulManyArgs, cpuBackend, getBackend, randn, roundHalfEven, tensor } from "@bitnet-quantize/tensor";
import { packTernary } from "@bitnet-quantize/tensor/quant";
import { ReferenceInference, referenceWeights } from "./llama-reference.js";
import { roundFloat32ToFloat16, roundToFloat16Reference } from "../src/model/float16.js";

const cfg = { vocabSize: 37, dim: 256, layers: 2, heads: 4, kvHeads: 2, ffnDim: 512, contextLength: 24 } as const;
const ids = [1, 5, 9, 2, 33, 7];

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; range: number } {
  let diff = 0;
  let range = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    range = Math.max(range, Math.abs(b[i]));
  }
  return { diff, range };
}

describe("BitNetInference against the plain reference forward", () => {
  const model = new BitNetModel(cfg, { seed: 3 });
  for (const mode of ["int8", "float", "q8_K"] as const satisfies readonly ActivationMode[]) {
    for (const kvCache of ["f32", "f16"] as const satisfies readonly KVCacheType[]) {
      it(`${mode} activations, ${kvCache} KV cache: prompt then cached decode steps agree`, () => {
        const ref = new ReferenceInference(referenceWeights(model), mode, kvCache);
        const inf = model.inference({ activations: mode, kvCache });
        const rc = ref.newCache();
        const ic = inf.newCache();
        const a = inf.forward(ids, ic, true);
        const b = ref.forward(ids, rc, true);
        const { diff, range } = maxDiff(a, b);
        expect(range).toBeGreaterThan(0.1);
        expect(diff, `prompt: ${diff} of ${range}`).toBeLessThan(1e-5 * range);
        for (const next of [4, 11, 30]) {
          const s = maxDiff(inf.forward([next], ic), ref.forward([next], rc));
          expect(s.diff, `step ${next}`).toBeLessThan(1e-5 * s.range);
        }
      });
    }
  }

  it("llama.cpp's default run (q8_K, fp16 cache, fp16 lm_head input) agrees with the reference (a rounding step apart at most)", () => {
    const ref = new ReferenceInference(referenceWeights(model), "q8_K", "f16", "f16");
    const inf = model.inference({ activations: "q8_K", kvCache: "f16", lmHeadInput: "f16" });
    const rc = ref.newCache();
    const ic = inf.newCache();
    for (const step of [ids, [4], [11], [30]]) {
      const { diff, range } = maxDiff(inf.forward(step, ic, true), ref.forward(step, rc, true));
      // h rounded to fp16 can land one fp16 step apart when the inputs differ in the last float bit
      expect(diff).toBeLessThan(1e-3 * range);
    }
    const plain = model.logits(ids, { activations: "q8_K", kvCache: "f16" });
    expect(maxDiff(model.logits(ids, { activations: "q8_K", kvCache: "f16", lmHeadInput: "f16" }), plain).diff).toBeGreaterThan(0);
  });

  it("the fp16 cache changes the logits a little (it is used), and generate takes the options", () => {
    const a = model.logits(ids, { activations: "q8_K", kvCache: "f32" });
    const b = model.logits(ids, { activations: "q8_K", kvCache: "f16" });
    const { diff, range } = maxDiff(a, b);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.1 * range);
    expect(model.generate([1, 2], { maxTokens: 4, activations: "q8_K", kvCache: "f16" })).toHaveLength(4);
  });

  it("a frozen model generates what the training model's snapshot generates", () => {
    const m = new BitNetModel(cfg, { seed: 5 });
    const before = m.generate([1, 2, 3], { maxTokens: 6 });
    m.freeze();
    expect(m.projections().every(([, p]) => p.isFrozen)).toBe(true);
    expect(m.generate([1, 2, 3], { maxTokens: 6 })).toEqual(before);
  });
});

/**
 * Counts the ternary products backend `b` computes (wrapping its
 * ternaryMatmul, ternaryMatmulMany and ternaryMatmulManyInto until
 * `restore`): one per weight of each call.
 */
function countTernary(b: Backend): { calls: () => number; reset: () => void; restore: () => void } {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as is, and called below with .call(b, …)
  const [one, many, into] = [b.ternaryMatmul, b.ternaryMatmulMany, b.ternaryMatmulManyInto];
  if (one === undefined || many === undefined || into === undefined) throw new Error(`${b.name} lacks a ternary op`);
  let n = 0;
  b.ternaryMatmul = (args: TernaryMatmulArgs) => {
    n++;
    return one.call(b, args);
  };
  b.ternaryMatmulMany = (args: TernaryMatmulManyArgs) => {
    n += args.weights.length;
    return many.call(b, args);
  };
  b.ternaryMatmulManyInto = (args: TernaryMatmulManyArgs, outs: readonly Float32Array[]) => {
    n += args.weights.length;
    into.call(b, args, outs);
  };
  const restore = (): void => {
    b.ternaryMatmul = one;
    b.ternaryMatmulMany = many;
    b.ternaryMatmulManyInto = into;
  };
  return { calls: () => n, reset: () => void (n = 0), restore };
}

/**
 * A CPU backend of its own (not the default one) that counts its ternary and
 * float matmuls. Its storages name it as their backend, so tensors made on it
 * stay on it.
 */
function spyBackend(): { backend: Backend; ternary: () => number; float: () => number } {
  const backend = cpuBackend();
  const ternary = countTernary(backend);
  const float = vi.spyOn(backend, "matmul");
  return { backend, ternary: ternary.calls, float: () => float.mock.calls.length };
}

describe("projections run on the backend that holds the weights", () => {
  it("generate with a spy backend: every projection runs on its ternary ops, the default CPU kernel never runs", async () => {
    const model = new BitNetModel(cfg, { seed: 2 }).freeze();
    const spy = spyBackend();
    const cpu = getBackend();
    const cpuTernary = countTernary(cpu);
    try {
      const maxTokens = 5;
      const prompt = [1, 4, 9];
      const expected = model.generate(prompt, { maxTokens }); // on the CPU
      expect(cpuTernary.calls()).toBe(7 * cfg.layers * maxTokens); // one forward for the prompt, maxTokens - 1 decode steps
      cpuTernary.reset();
      const out = model.generate(prompt, { maxTokens, backend: spy.backend });
      expect(out).toEqual(expected);
      expect(spy.ternary()).toBe(7 * cfg.layers * maxTokens);
      expect(spy.float()).toBe(maxTokens); // the tied lm_head
      expect(cpuTernary.calls()).toBe(0);
      expect(await model.generateAsync(prompt, { maxTokens, backend: spy.backend })).toEqual(expected);
      expect(cpuTernary.calls()).toBe(0);
    } finally {
      cpuTernary.restore();
    }
  });
});

describe("BitLinear.project and packed layers", () => {
  it("project needs a frozen layer; a packed layer has no latent weights and cannot unfreeze", () => {
    const layer = new BitLinear(32, 8, { bias: false, seed: 1 });
    expect(() => layer.project(randn([1, 32]))).toThrow(/not frozen/);
    const codes = tensor(Int8Array.from({ length: 8 * 32 }, (_, i) => ((i * 7) % 3) - 1), [8, 32], "int8");
    const packed = BitLinear.fromPacked({ packed: packTernary(codes), scales: tensor(new Float32Array(8).fill(0.25), [8, 1]), groupColumns: 32 });
    expect(packed.isFrozen).toBe(true);
    expect(packed.weight.value.storage.length).toBe(1); // a zero-stride view: no latent storage
    expect(Array.from(packed.quantizedWeight().codes.dataSync())).toEqual(Array.from(codes.dataSync()));
    expect(() => packed.unfreeze()).toThrow(/trainable: true/);
    const x = randn([3, 32], { seed: 4 });
    const y = packed.project(x, "float").dataSync();
    const xd = x.dataSync();
    const cd = codes.dataSync();
    for (let m = 0; m < 3; m++)
      for (let n = 0; n < 8; n++) {
        let s = 0;
        for (let k = 0; k < 32; k++) s += cd[n * 32 + k] * xd[m * 32 + k];
        expect(y[m * 8 + n]).toBeCloseTo(0.25 * s, 5);
      }
    expect(() => packed.project(x, "q8_K")).toThrow(/multiples of 256/);
    expect(() => BitLinear.fromPacked({ packed: packTernary(codes), scales: tensor([1, 2]), groupColumns: 32 })).toThrow(BitNetError);
  });
});

describe("Q8_K activations", () => {
  it("quantize each block of 256 as quantize_row_q8_K_ref (iscale = -127/max, half-even, min 127)", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -8, max: 8, noNaN: true }).map((v) => (Math.abs(v) < 1e-30 ? 0 : v)), { minLength: 512, maxLength: 512 }), (vals) => {
        const x = Float32Array.from(vals);
        x.fill(0, 256, 300); // a partly zero block
        const q = q8KActivations(tensor(x, [1, 512]));
        const codes = q.codes.dataSync();
        const scales = q.scales.dataSync();
        for (let b = 0; b < 2; b++) {
          let max = 0;
          for (let i = b * 256; i < (b + 1) * 256; i++) if (Math.abs(x[i]) > Math.abs(max)) max = x[i];
          if (max === 0) continue;
          const iscale = Math.fround(-127 / max);
          expect(scales[b]).toBe(iscale);
          for (let i = b * 256; i < (b + 1) * 256; i++) expect(codes[i]).toBe(Math.min(127, roundHalfEven(Math.fround(iscale * x[i]))) + 0);
        }
      }),
      { seed: 10, numRuns: 50 },
    );
    // exact ties (iscale = 1 with max = -127) round half to even
    const ties = new Float32Array(256);
    ties.set([-127, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, 125.5, -126.5]);
    expect(Array.from(q8KActivations(tensor(ties, [1, 256])).codes.dataSync().subarray(0, 10))).toEqual([-127, 0, 2, 2, 0, -2, -2, 126, 126, -126]);
    expect(Array.from(q8KActivations(tensor(new Float32Array(256), [1, 256])).codes.dataSync()).every((c) => c === 0)).toBe(true);
    expect(() => q8KActivations(tensor(new Float32Array(100), [1, 100]))).toThrow(QuantizationError);
    expect(() => q8KActivations(tensor(new Float32Array(256).fill(Number.NaN), [1, 256]))).toThrow(/NaN/);
  });
});

describe("roundToFloat16", () => {
  it("equals its reference twin (log2 and powers) for every double: subnormals, binade edges, ties, overflow", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.double({ min: -70000, max: 70000 }), fc.double({ min: -1e-4, max: 1e-4 }), fc.float()), (v) => {
        expect(Object.is(roundToFloat16(v), roundToFloat16Reference(v)), String(v)).toBe(true);
      }),
      { seed: 12, numRuns: 20000 },
    );
    const edges: number[] = [0, -0, NaN, Infinity, -Infinity, 65504, 65519.99, 65520, -65520, 5e-324, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -14, 2 ** -14 - 2 ** -25];
    for (let e = -24; e <= 15; e++) {
      for (const m of [1, 1.5, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 - 2 ** -12, 2 - 2 ** -30]) edges.push(m * 2 ** e, -m * 2 ** e);
    }
    for (const v of edges) expect(Object.is(roundToFloat16(v), roundToFloat16Reference(v)), String(v)).toBe(true);
  });

  it("roundFloat32ToFloat16 (the KV cache's array version, on float32 bits) equals it for every float32: any bit pattern, binade edges, ties, overflow, subnormals, NaN", () => {
    const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
    const check = (values: Float32Array, offset: number): void => {
      const dst = new Float32Array(offset + values.length + 3).fill(7);
      roundFloat32ToFloat16(values, dst, offset, values.length);
      for (let i = 0; i < values.length; i++) expect(same(dst[offset + i], Math.fround(roundToFloat16(values[i]))), `${values[i]} -> ${dst[offset + i]}`).toBe(true);
      for (let i = 0; i < offset; i++) expect(dst[i]).toBe(7);
      for (let i = offset + values.length; i < dst.length; i++) expect(dst[i]).toBe(7);
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), (words, lead, offset) => {
        // a view at a byte offset, as the cache's subarrays are
        const buf = new Uint32Array(lead + words.length);
        buf.set(words, lead);
        check(new Float32Array(buf.buffer, lead * 4, words.length), offset);
      }),
      { seed: 13, numRuns: 3000 },
    );
    const edges: number[] = [0, -0, NaN, Infinity, -Infinity, 65504, 65519.99, 65520, -65520, 65536, 3.4e38, 1e-45, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -14, 2 ** -14 - 2 ** -25, 2 ** -15];
    for (let e = -26; e <= 16; e++) {
      for (const m of [1, 1.5, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 - 2 ** -12, 2 - 2 ** -11, 2 - 2 ** -23]) edges.push(m * 2 ** e, -m * 2 ** e);
    }
    check(Float32Array.from(edges), 2);
    // in place (attention rounds q where it lies)
    const inPlace = Float32Array.from(edges);
    roundFloat32ToFloat16(inPlace, inPlace, 0, inPlace.length);
    for (let i = 0; i < edges.length; i++) expect(same(inPlace[i], Math.fround(roundToFloat16(Math.fround(edges[i])))), String(edges[i])).toBe(true);
    expect(() => roundFloat32ToFloat16(new Float32Array(4), new Float32Array(4), 1, 4)).toThrow(BitNetError);
  });

  it("equals the gguf codec's f32 -> f16 -> f32 round trip", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (v) => {
        expect(roundToFloat16(v)).toBe(f16BitsToF32(f32ToF16Bits(v)));
      }),
      { seed: 11, numRuns: 5000 },
    );
    for (const v of [0, -0, 65504, 65519.99, 65520, 6e-8, 2.98e-8, 1e-9, 0.1, -1.0009765625, Infinity]) {
      expect(roundToFloat16(v), String(v)).toBe(f16BitsToF32(f32ToF16Bits(v)));
    }
  });
});
