// erf: float64-exact on float64 tensors, float32-accurate on float32 ones,
// odd, bounded, monotone. Reference values below were computed independently
// with CPython 3's math.erf (glibc's libm, correct to under 1 ulp):
//   python3 -c "import math; print(repr(math.erf(x)))"
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UNARY_OPS, erf, tensor } from "@bitnet-quantize/tensor";

const SEED = 20261129;

/** [x, math.erf(x)] from CPython 3 (see the header). */
const KNOWN: readonly (readonly [number, number])[] = [
  [1e-10, 1.1283791670955126e-10],
  [0.001, 0.0011283787909692365],
  [0.1, 0.1124629160182849],
  [0.25, 0.2763263901682369],
  [0.5, 0.5204998778130465],
  [0.75, 0.7111556336535151],
  [0.9, 0.7969082124228322],
  [1.0, 0.8427007929497149],
  [1.25, 0.9229001282564582],
  [1.5, 0.9661051464753108],
  [2.0, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [3.0, 0.9999779095030014],
  [3.5, 0.9999992569016276],
  [4.0, 0.9999999845827421],
  [5.0, 0.9999999999984626],
  [5.9, 0.9999999999999999],
];

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

describe("erf", () => {
  it("matches CPython's math.erf to 1e-15 relative on float64 tensors, both signs", () => {
    const xs = KNOWN.flatMap(([x]) => [x, -x]);
    const got = erf(tensor(xs, undefined, "float64")).toArray() as number[];
    KNOWN.forEach(([, want], i) => {
      expect(relErr(got[2 * i], want)).toBeLessThanOrEqual(1e-15);
      expect(relErr(got[2 * i + 1], -want)).toBeLessThanOrEqual(1e-15);
    });
  });

  it("is the table's float64 reference on float64 tensors, bit for bit", () => {
    const xs = [0, -0.3, 0.99, 1, 1.01, 2.7, -4.2, 6, 7, Infinity, -Infinity, NaN];
    const got = erf(tensor(xs, undefined, "float64")).toArray() as number[];
    expect(got).toEqual(xs.map((x) => UNARY_OPS.erf.ref(x)));
    expect(got.slice(-3)).toEqual([1, -1, NaN]);
  });

  it("keeps float32 within 1.2e-7 absolute of the float64 values (and integers give float32)", () => {
    const xs = KNOWN.map(([x]) => Math.fround(x));
    const t = erf(tensor(xs, undefined, "float32"));
    expect(t.dtype).toBe("float32");
    const got = t.toArray() as number[];
    xs.forEach((x, i) => expect(Math.abs((got[i]) - UNARY_OPS.erf.ref(x))).toBeLessThan(1.2e-7 + 6e-8));
    expect(erf(tensor([0, 1], undefined, "int32")).dtype).toBe("float32");
    expect(tensor([0, 1], undefined, "float64").erf().toArray()).toEqual([0, UNARY_OPS.erf.ref(1)]);
  });

  it("is odd, within [-1, 1] and non-decreasing (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, d) => {
        const e = UNARY_OPS.erf.ref;
        expect(e(-x)).toBe(-e(x));
        expect(Math.abs(e(x))).toBeLessThanOrEqual(1);
        expect(e(x + d)).toBeGreaterThanOrEqual(e(x));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
