// The training recipe at a tiny size (split, steps, validation under noGrad,
// resumable batches, GGUF round trip), the charts and their round-number ticks.
import { describe, expect, it } from "vitest";
import { encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { isGradEnabled } from "@bitnet-quantize/autograd";
import { DEFAULT_LM_CONFIG, LmTrainError, LmTrainer, generateCorpus, lossCurveSvg, niceTicks, ternaryHistogramSvg } from "@bitnet-quantize/cli";

const TINY = { ...DEFAULT_LM_CONFIG, steps: 6, dim: 64, heads: 2, kvHeads: 1, ffnDim: 128, layers: 1, context: 16, batch: 2, vocab: 300, evalIters: 2 };
const TEXT = generateCorpus({ stories: 80, seed: 3 });

describe("LmTrainer", () => {
  it("holds out the last 10% of the tokens, trains step by step and measures validation loss", () => {
    const t = new LmTrainer(TEXT, TINY);
    const n = t.trainIds.length + t.valIds.length;
    expect(t.valIds.length).toBe(Math.floor(n * 0.1));
    while (!t.done) t.trainStep();
    expect(t.losses).toHaveLength(6);
    expect(t.losses.every(Number.isFinite)).toBe(true);
    const v1 = t.estimateLoss("val");
    expect(t.estimateLoss("val")).toBe(v1); // the same held-out batches every time
    expect(t.valLosses).toEqual([{ step: 6, loss: v1 }, { step: 6, loss: v1 }]);
    expect(isGradEnabled()).toBe(true);
    expect(t.model.training).toBe(true);
    expect(t.sample("one day").startsWith("one day")).toBe(true);
    const d = t.ternaryDistribution();
    expect(d.minus + d.zero + d.plus).toBeCloseTo(1, 12);
  });

  it("batches depend only on (seed, step): two trainers give the same losses", () => {
    const a = new LmTrainer(TEXT, TINY);
    const b = new LmTrainer(TEXT, TINY);
    for (let i = 0; i < 3; i++) expect(b.trainStep()).toBe(a.trainStep());
  });

  it("exports a GGUF that imports back with identical logits", () => {
    const t = new LmTrainer(TEXT, TINY);
    t.trainStep();
    const back = importGguf(encodeGguf(t.model, t.tokenizer, { type: "F32" }));
    const ids = t.tokenizer.encode("one day tom saw a cat");
    expect(Array.from(back.model.logits(ids))).toEqual(Array.from(t.model.logits(ids)));
  });

  it("refuses a text too short for the context, naming both parts", () => {
    expect(() => new LmTrainer("one day tom saw a cat.", TINY)).toThrow(LmTrainError);
    expect(() => new LmTrainer("one day tom saw a cat.", TINY)).toThrow(/each part needs at least context \+ 2 = 18/);
  });
});

describe("charts", () => {
  it("niceTicks puts ticks at 1, 2 or 5 times a power of ten covering the range", () => {
    expect(niceTicks(0.3, 5.8, 6)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(niceTicks(1, 160, 5)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(2.31, 2.38, 4)).toEqual([2.3, 2.32, 2.34, 2.36, 2.38]);
    expect(niceTicks(3, 3)).toEqual([2.4, 2.6, 2.8, 3, 3.2, 3.4, 3.6]); // a flat series gets a unit-wide axis
  });

  it("loss.svg: training (raw, averaged) and validation lines, a legend entry for each, round ticks", () => {
    const svg = lossCurveSvg([6, 5, 4, 3.5, 3], { smooth: 2, title: "a<b", validation: [{ step: 2, loss: 4.8 }, { step: 5, loss: 3.4 }] });
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain("a&lt;b");
    for (const label of ["training loss (per step)", "training loss (moving average of 2)", "validation loss (held-out text)"]) expect(svg).toContain(`>${label}</text>`);
    const yLabels = [...svg.matchAll(/text-anchor="end">([\d.]+)<\/text>/g)].map((m) => Number(m[1]));
    expect(yLabels).toEqual([3, 4, 5, 6]);
    expect(lossCurveSvg([6, 5])).not.toContain("validation loss");
  });

  it("ternary.svg: one bar per value with its share", () => {
    const svg = ternaryHistogramSvg({ minus: 0.3, zero: 0.4, plus: 0.3, total: 1000 });
    expect(svg.match(/<rect /g)).toHaveLength(4); // background + 3 bars
    for (const s of [">30.0%<", ">40.0%<", ">-1<", ">0<", ">+1<"]) expect(svg).toContain(s);
  });
});
