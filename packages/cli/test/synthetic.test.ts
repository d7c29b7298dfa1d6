// The generated data set: reproducible by seed, balanced, pixels in [0, 1],
// and the classes differ (mean images are far apart).
import { describe, expect, it } from "vitest";
import { Generator } from "@bitnet-quantize/tensor";
import { drawShapes, syntheticShapes } from "@bitnet-quantize/cli";

describe("synthetic shapes", () => {
  it("is reproducible by seed and differs across seeds", () => {
    const a = drawShapes(50, new Generator(3));
    const b = drawShapes(50, new Generator(3));
    const c = drawShapes(50, new Generator(4));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
  });

  it("has balanced labels, 784 pixels in [0, 1], and distinct class means", () => {
    const d = drawShapes(500, new Generator(1));
    const counts = new Array<number>(10).fill(0);
    for (const y of d.y) counts[y] = counts[y] + 1;
    expect(counts).toEqual(new Array<number>(10).fill(50));
    expect(d.features).toBe(784);
    expect(d.x.every((v) => v >= 0 && v <= 1)).toBe(true);
    const means = Array.from({ length: 10 }, () => new Float64Array(784));
    for (let i = 0; i < d.n; i++) for (let p = 0; p < 784; p++) (means[d.y[i]] as Float64Array)[p] += d.x[i * 784 + p] / 50;
    for (let a = 0; a < 10; a++) {
      for (let b = a + 1; b < 10; b++) {
        let dist = 0;
        for (let p = 0; p < 784; p++) dist += ((means[a] as Float64Array)[p] - (means[b] as Float64Array)[p]) ** 2;
        expect(Math.sqrt(dist)).toBeGreaterThan(0.5);
      }
    }
  });

  it("splits train and test from one seed", () => {
    const s = syntheticShapes({ seed: 0, trainSize: 100, testSize: 20 });
    expect([s.train.n, s.test.n]).toEqual([100, 20]);
  });
});
