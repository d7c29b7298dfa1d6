// rowDotsF64 and weightedRowSumF64: the WebAssembly kernels over rows in the
// shared wasm memory equal their JavaScript reference twins bit for bit on
// random shapes with tails (D not a multiple of 4 or 8, T not of 4), and a
// plain array gives the same; known values; bad arguments are typed errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, residentFloat32, rowDotsF64, rowDotsF64Reference, weightedRowSumF64, weightedRowSumF64Reference } from "@bitnet-quantize/tensor";

const shape = fc.record({ D: fc.integer({ min: 1, max: 40 }), T: fc.integer({ min: 0, max: 13 }), pad: fc.integer({ min: 0, max: 9 }), offset: fc.integer({ min: 0, max: 7 }), seed: fc.integer({ min: 1, max: 1e6 }) });

/** Rows of varied magnitude (sums that round), as a resident array and a plain copy. */
function rowsOf(n: number, seed: number): { res: Float32Array; plain: Float32Array } {
  const res = residentFloat32(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    res[i] = ((s / 2 ** 32) * 2 - 1) * 10 ** ((s % 7) - 3);
  }
  return { res, plain: res.slice() };
}

describe("rowDotsF64 and weightedRowSumF64", () => {
  it("keep their rows in the shared wasm memory where it exists", () => {
    expect(residentFloat32(8).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(residentFloat32(3))).toEqual([0, 0, 0]);
  });

  it("equal their reference twins bit for bit, resident or not, any D, T, stride and offset", () => {
    fc.assert(
      fc.property(shape, ({ D, T, pad, offset, seed }) => {
        const stride = D + pad;
        const { res, plain } = rowsOf(offset + Math.max(0, T - 1) * stride + D + 3, seed);
        const { plain: q } = rowsOf(D + 2, seed + 1);
        const want = new Float64Array(T);
        rowDotsF64Reference(q, 2, plain, offset, stride, D, T, want);
        for (const rows of [res, plain]) {
          const got = new Float64Array(T);
          rowDotsF64(q, 2, rows, offset, stride, D, T, got);
          expect(Array.from(got)).toEqual(Array.from(want));
        }
        const p = Float64Array.from({ length: T }, (_, t) => Math.fround(1 / (t + 2)));
        const sum = new Float32Array(D + 1);
        weightedRowSumF64Reference(p, plain, offset, stride, D, T, sum, 1);
        for (const rows of [res, plain]) {
          const got = new Float32Array(D + 1);
          weightedRowSumF64(p, rows, offset, stride, D, T, got, 1);
          expect(Array.from(got)).toEqual(Array.from(sum));
        }
      }),
      { seed: 31, numRuns: 300 },
    );
  });

  it("sum in order: known values where another order would round differently", () => {
    // 2^53 + 1 - 2^53: in order, 2^53 + 1 rounds to 2^53 first, so the sum is 0 (pairwise it would be 1)
    const rows = residentFloat32(16); // four rows: the kernel's step
    rows.set([2 ** 26, 1, -(2 ** 26), 0], 0);
    rows.set([1, 2, 3, 4], 4);
    rows.set([5, 6, 7, 8], 8);
    rows.set([-(2 ** 26), 1, 2 ** 26, 1], 12);
    const q = new Float32Array([2 ** 27, 1, 2 ** 27, 1]);
    const out = new Float64Array(4);
    rowDotsF64(q, 0, rows, 0, 4, 4, 4, out);
    expect(Array.from(out)).toEqual([0, 1 * 2 ** 27 + 2 + 3 * 2 ** 27 + 4, 5 * 2 ** 27 + 6 + 7 * 2 ** 27 + 8, 2]);
    const v = residentFloat32(16);
    v.set([1, 2, 3, 4, 5, 6, 7, 8, 10, 20, 30, 40, 50, 60, 70, 80]);
    const o = new Float32Array(8);
    weightedRowSumF64(new Float64Array([0.5, 0.25]), v, 0, 8, 8, 2, o, 0);
    expect(Array.from(o)).toEqual([3, 6, 9, 12, 15, 18, 21, 24]);
  });

  it("reject rows that do not fit and bad sizes with typed errors", () => {
    const rows = residentFloat32(10);
    expect(() => rowDotsF64(new Float32Array(4), 0, rows, 0, 4, 4, 3, new Float64Array(3))).toThrow(/3 rows of 4 at offset 0, stride 4 do not fit in 10 values/);
    expect(() => rowDotsF64(new Float32Array(2), 0, rows, 0, 4, 4, 2, new Float64Array(2))).toThrow(ArgumentError);
    expect(() => weightedRowSumF64(new Float64Array(1), rows, 0, 4, 4, 2, new Float32Array(4), 0)).toThrow(/p needs 2 values/);
    expect(() => weightedRowSumF64(new Float64Array(2), rows, -1, 4, 4, 2, new Float32Array(4), 0)).toThrow(/non-negative integers/);
    expect(() => residentFloat32(-1)).toThrow(ArgumentError);
  });
});
