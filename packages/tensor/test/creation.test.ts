// Creation functions, the seeded generator, rounding rules and dtype promotion.
import { describe, expect, it } from "vitest";
import {
  ArgumentError, DTypeError, Generator, ShapeError, arange, eye, full, linspace, manualSeed, ones, promoteTypes, rand, randint,
  randn, roundHalfAway, roundHalfEven, tensor, zeros,
} from "@bitnet-quantize/tensor";
import fc from "fast-check";

describe("tensor()", () => {
  it("infers shapes and dtypes", () => {
    expect(tensor([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
    expect(tensor([[1, 2], [3, 4]]).dtype).toBe("float32");
    expect(tensor([true, false]).dtype).toBe("uint8");
    expect(tensor(new Int8Array([1, -1]), [2, 1]).shape).toEqual([2, 1]);
    expect(tensor(5).shape).toEqual([]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([1.9, -1.9], undefined, "int32").toArray()).toEqual([1, -1]);
    expect(String(tensor([1, 2]))).toBe("tensor([1., 2.])");
  });
  it("rejects ragged data, bad shapes and unknown dtypes", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2,2\]/);
    expect(() => tensor([1], undefined, "int64" as "int32")).toThrow(DTypeError);
    expect(() => zeros([2, -1])).toThrow(ShapeError);
    expect(() => tensor([Infinity], undefined, "int32")).toThrow(ArgumentError);
  });
});

describe("patterns", () => {
  it("zeros, ones, full, arange, linspace, eye", () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([2], "int8").toArray()).toEqual([1, 1]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(arange(4).dtype).toBe("int32");
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(() => arange(0, 1, 0)).toThrow(ArgumentError);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });
});

describe("random", () => {
  it("is reproducible by seed and generator", () => {
    expect(Array.from(randn([5], { seed: 1 }).dataSync())).toEqual(Array.from(randn([5], { seed: 1 }).dataSync()));
    manualSeed(3);
    const a = rand([4]).dataSync();
    manualSeed(3);
    expect(Array.from(rand([4]).dataSync())).toEqual(Array.from(a));
    const g1 = new Generator(9);
    const g2 = new Generator(9);
    for (let i = 0; i < 100; i++) expect(g1.nextUint32()).toBe(g2.nextUint32());
    expect(new Generator(1).nextUint32()).not.toBe(new Generator(2).nextUint32());
  });
  it("has the right distributions", () => {
    const n = 20000;
    const z = randn([n], { seed: 5, dtype: "float64" });
    expect(Math.abs(z.mean().item())).toBeLessThan(0.03);
    expect(Math.abs(z.var().item() - 1)).toBeLessThan(0.05);
    const u = rand([n], { seed: 6 }).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const counts = new Array<number>(6).fill(0);
    for (const v of randint(0, 6, [6000], { seed: 7 }).dataSync()) counts[v] = counts[v] + 1;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
    expect(() => randint(3, 3, [1])).toThrow(ArgumentError);
  });
});

describe("rounding", () => {
  it("has the documented tie rules", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2]);
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map(roundHalfAway)).toEqual([1, 2, 3, -1, -2, -3]);
    expect(roundHalfAway(0.49999999999999994)).toBe(0);
    expect(roundHalfEven(-0.49999999999999994)).toBe(-0);
    expect(roundHalfEven(4503599627370497)).toBe(4503599627370497);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        for (const r of [roundHalfEven(x), roundHalfAway(x)]) {
          expect(Number.isInteger(r)).toBe(true);
          expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5);
        }
        if (Math.abs(x - Math.trunc(x)) !== 0.5) expect(roundHalfEven(x)).toBe(roundHalfAway(x));
      }),
      { seed: 1, numRuns: 500 },
    );
  });
});

describe("promoteTypes", () => {
  it("is symmetric and follows the lattice", () => {
    const all = ["float32", "float64", "int32", "int8", "uint8", "uint32"] as const;
    for (const a of all) for (const b of all) expect(promoteTypes(a, b)).toBe(promoteTypes(b, a));
    expect(promoteTypes("uint32", "int8")).toBe("float64");
    expect(promoteTypes("uint8", "uint32")).toBe("uint32");
  });
});
