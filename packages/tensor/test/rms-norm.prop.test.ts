// rmsNormRowsF32: the WebAssembly kernel equals its JavaScript twin bit for
// bit (rows of any multiple-of-4 length, with and without a weight, in
// place, magnitudes where the float64 sum rounds); the twin equals known
// values and falls back for other lengths and weight arrays; bad sizes are
// typed errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, rmsNormRowsF32, rmsNormRowsF32Reference } from "@bitnet-quantize/tensor";
import { wasmKernels } from "../src/wasm/wasm-kernels.js";

const f32 = Math.fround;
const shape = fc.record({ C: fc.integer({ min: 1, max: 300 }), rows: fc.integer({ min: 1, max: 3 }), weighted: fc.boolean(), eps: fc.constantFrom(1e-6, 1e-5, 0), seed: fc.integer({ min: 1, max: 1e6 }) });

/** Values across twelve binades, so that the float64 sum of squares rounds and its order shows. */
function rowsOf(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * 10 ** ((s % 13) - 6);
  });
}

describe("rmsNormRowsF32", () => {
  it("runs the WebAssembly kernel here (Node 20 validates SIMD)", () => {
    expect(wasmKernels()?.rmsNorm).toBeTypeOf("function");
  });

  it("equals its reference twin bit for bit: any C (the kernel takes multiples of 4), weights or none, in place", () => {
    fc.assert(
      fc.property(shape, ({ C, rows, weighted, eps, seed }) => {
        const x = rowsOf(C * rows, seed);
        const w = weighted ? rowsOf(C, seed + 7) : undefined;
        const want = rmsNormRowsF32Reference(x, C, eps, w, new Float32Array(x.length));
        expect(Array.from(rmsNormRowsF32(x, C, eps, w, new Float32Array(x.length)))).toEqual(Array.from(want));
        const inPlace = x.slice();
        expect(Array.from(rmsNormRowsF32(inPlace, C, eps, w, inPlace))).toEqual(Array.from(want));
      }),
      { seed: 61, numRuns: 300 },
    );
  });

  it("sums the squares in float64 in order: rows where another order would round differently", () => {
    // squares 4, 2^-22 and six of 2^-52: big ones first, each 2^-52 is below half an ulp of the running sum and
    // rounds away, so Σ/8 = 0.5 + 2^-25 exactly, a float32 tie that rounds to 0.5; small ones first, they add up
    // and tip the mean above the tie; summed in lanes, as SIMD would, they tip it too.
    const C = 8;
    const small = new Array<number>(6).fill(2 ** -26);
    const x = Float32Array.of(2, 2 ** -11, ...small, ...small, 2, 2 ** -11);
    const scaleOf = (row: Float32Array): number => {
      let sum = 0;
      for (const v of row) sum += f32(v * v);
      return f32(1 / f32(Math.sqrt(f32(sum / C))));
    };
    const [a, b] = [x.subarray(0, C), x.subarray(C)];
    expect(scaleOf(a)).not.toBe(scaleOf(b)); // the same squares, in another order: another result
    // what a SIMD kernel's four lane sums would give for row a: not the in-order result
    const lanes = [0, 0, 0, 0];
    a.forEach((v, i) => (lanes[i % 4] += f32(v * v)));
    expect(f32(1 / f32(Math.sqrt(f32((lanes[0] + lanes[1] + (lanes[2] + lanes[3])) / C))))).not.toBe(scaleOf(a));
    const want = [...Array.from(a, (v) => f32(v * scaleOf(a))), ...Array.from(b, (v) => f32(v * scaleOf(b)))];
    expect(Array.from(rmsNormRowsF32(x, C, 0, undefined, new Float32Array(2 * C)))).toEqual(want);
    expect(Array.from(rmsNormRowsF32Reference(x, C, 0, undefined, new Float32Array(2 * C)))).toEqual(want);
    expect(Array.from(rmsNormRowsF32Reference(Float32Array.of(3, 4), 2, 0, [1, 2], new Float32Array(2)))).toEqual([f32(3 * f32(1 / f32(Math.sqrt(12.5)))), f32(f32(4 * f32(1 / f32(Math.sqrt(12.5)))) * 2)]);
  });

  it("rejects bad sizes with typed errors", () => {
    expect(() => rmsNormRowsF32(new Float32Array(6), 4, 0, undefined, new Float32Array(6))).toThrow(ArgumentError);
    expect(() => rmsNormRowsF32(new Float32Array(8), 4, 0, undefined, new Float32Array(4))).toThrow(/out has 4/);
    expect(() => rmsNormRowsF32Reference(new Float32Array(8), 4, 0, [1], new Float32Array(8))).toThrow(/weight has 1/);
  });
});
