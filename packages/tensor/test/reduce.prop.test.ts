// Reductions over random axes against plain loops; argmax/argmin rules; var.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, argmax, argmin, max, mean, min, prod, sum, tensor, variance, zeros } from "@bitnet-quantize/tensor";
import { findMismatch, shapeArb, tensorOfShapeArb } from "@bitnet-quantize/tensor/testing";
import { naiveReduce } from "./naive.js";

const SEED = 99;

const withAxes = shapeArb({ minDims: 1, maxDims: 4, maxSize: 4 }).chain((s) =>
  fc.tuple(tensorOfShapeArb(s), fc.subarray(s.map((_, i) => i), { minLength: 1 }), fc.boolean()),
);

describe("reductions", () => {
  const cases: [string, typeof sum, number, (a: number, v: number) => number, number][] = [
    ["sum", sum, 0, (a, v) => a + v, 1e-5],
    ["prod", prod, 1, (a, v) => a * v, 1e-5],
    ["max", max, -Infinity, Math.max, 0],
    ["min", min, Infinity, Math.min, 0],
  ];
  for (const [name, op, init, f, tol] of cases) {
    it(`${name} over random axes matches a loop (keepDims both ways)`, () => {
      fc.assert(
        fc.property(withAxes, ([t, axes, keepDims]) => {
          const ref = naiveReduce(t.dataSync(), t.shape, axes, init, f);
          const got = op(t, axes, { keepDims });
          const shape = keepDims ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : ref.shape;
          expect(got.shape).toEqual(shape);
          expect(findMismatch(got.dataSync(), Float32Array.from(ref.data), { rtol: tol, atol: tol })).toBeUndefined();
        }),
        { seed: SEED, numRuns: 80 },
      );
    });
  }

  it("mean and var match formulas", () => {
    fc.assert(
      fc.property(withAxes, ([t, axes]) => {
        const n = axes.reduce((p, a) => p * t.shape[a], 1);
        const s = naiveReduce(t.dataSync(), t.shape, axes, 0, (a, v) => a + v);
        const m = s.data.map((v) => v / n);
        expect(findMismatch(mean(t, axes).dataSync(), m, { rtol: 1e-5, atol: 1e-5 })).toBeUndefined();
        const x = t.dataSync();
        // sum of squared deviations, by a second pass with the loop reference
        const dev = new Float64Array(x.length);
        const meanFull = mean(t, axes, { keepDims: true }).expand(t.shape).dataSync();
        for (let i = 0; i < x.length; i++) dev[i] = (x[i] - meanFull[i]) ** 2;
        const ss = naiveReduce(dev, t.shape, axes, 0, (a, v) => a + v).data;
        expect(findMismatch(variance(t, axes, { correction: 0 }).dataSync(), ss.map((v) => v / n), { rtol: 1e-4, atol: 1e-4 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 60 },
    );
    expect(variance(tensor([1, 2, 3, 4])).item()).toBeCloseTo(5 / 3, 6);
  });

  it("argmax/argmin give the first extreme, NaN counts as max, and reject empty dims", () => {
    expect(argmax(tensor([1, 3, 3, 2])).item()).toBe(1);
    expect(argmin(tensor([2, 1, 1])).item()).toBe(1);
    expect(argmax(tensor([1, NaN, 5])).item()).toBe(1);
    expect(argmax(tensor([[1, 5], [7, 4]]), 0).toArray()).toEqual([1, 0]);
    expect(argmax(tensor([[1, 5], [7, 4]]), 1, { keepDims: true }).toArray()).toEqual([[1], [0]]);
    expect(argmax(tensor([[1, 5], [7, 4]])).item()).toBe(2);
    expect(() => max(zeros([0]))).toThrow(ArgumentError);
    expect(sum(zeros([0])).item()).toBe(0);
    expect(Number.isNaN(max(tensor([1, NaN, 2])).item())).toBe(true);
  });

  it("sums of int8 accumulate in int32", () => {
    const t = tensor(new Int8Array([100, 100, 100]));
    expect(sum(t).dtype).toBe("int32");
    expect(sum(t).item()).toBe(300);
  });
});
