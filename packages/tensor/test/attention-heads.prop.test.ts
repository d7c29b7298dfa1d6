// headDotsF64 and headWeightedSumF64: the WebAssembly kernels (all heads of
// a position at once, walking the cache row by row) equal their reference
// twins (one head at a time) bit for bit on random shapes: heads sharing kv
// heads (GQA), head counts and sizes the kernels do not take (the per-head
// fallback), row padding and offsets, resident or plain rows; known values
// where another order of a sum would round differently; bad arguments are
// typed errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, headDotsF64, headDotsF64Reference, headWeightedSumF64, headWeightedSumF64Reference, residentFloat32 } from "@bitnet-quantize/tensor";
import { wasmKernels } from "../src/wasm/wasm-kernels.js";

const shape = fc.record({
  kvHeads: fc.integer({ min: 1, max: 4 }),
  group: fc.integer({ min: 1, max: 3 }),
  D: fc.oneof(fc.constantFrom(4, 8, 16, 96), fc.integer({ min: 1, max: 13 })),
  T: fc.integer({ min: 0, max: 40 }),
  pad: fc.integer({ min: 0, max: 5 }),
  offset: fc.integer({ min: 0, max: 7 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

function fill(a: Float32Array | Float64Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = ((s / 2 ** 32) * 2 - 1) * 10 ** ((s % 9) - 4); // magnitudes across binades: the sums round
  }
}

describe("headDotsF64 and headWeightedSumF64", () => {
  it("run the WebAssembly kernels here (Node 20 validates SIMD)", () => {
    expect(wasmKernels()?.headWeightedSum).toBeTypeOf("function");
    expect(wasmKernels()?.headDots).toBeTypeOf("function");
  });

  it("equal their reference twins bit for bit: any heads, GQA groups, D, T, row padding and offset, resident or not", () => {
    fc.assert(
      fc.property(shape, ({ kvHeads, group, D, T, pad, offset, seed }) => {
        const H = kvHeads * group;
        const stride = kvHeads * D + pad;
        const at = { offset, stride, kvOffsets: Array.from({ length: H }, (_, h) => Math.floor(h / group) * D), D };
        const n = offset + Math.max(T, 1) * stride + 3;
        const res = residentFloat32(n);
        fill(res, seed);
        const plain = res.slice();
        const q = new Float32Array(H * D + 4);
        fill(q, seed + 2);
        const pStride = T + 2;
        const scores = new Float64Array(H * pStride).fill(7);
        headDotsF64Reference(q, 3, plain, at, T, scores, pStride);
        for (const rows of [res, plain]) {
          const got = new Float64Array(H * pStride).fill(7);
          headDotsF64(q, 3, rows, at, T, got, pStride);
          expect(Array.from(got)).toEqual(Array.from(scores)); // between rows of scores: untouched
        }
        const p = new Float64Array(H * pStride);
        fill(p, seed + 1);
        const want = new Float32Array(H * D + 5).fill(7);
        headWeightedSumF64Reference(p, pStride, plain, at, T, want, 2);
        for (const rows of [res, plain]) {
          const got = new Float32Array(H * D + 5).fill(7);
          headWeightedSumF64(p, pStride, rows, at, T, got, 2);
          expect(Array.from(got)).toEqual(Array.from(want)); // outside out[2 .. 2 + H·D]: untouched
        }
      }),
      { seed: 71, numRuns: 300 },
    );
  });

  it("sums each column in t order: 2^53 + 1 - 2^53 is 0 in order (1 if the small terms came first)", () => {
    const D = 4;
    const rows = residentFloat32(3 * D);
    rows.set([2 ** 26, 2 ** 26, 1, 1], 0); // one head, D = 4: columns 0, 1 take p = 2^27
    rows.set([1, 1, 1, 1], D);
    rows.set([-(2 ** 26), -(2 ** 26), 1, 1], 2 * D);
    const p = Float64Array.of(2 ** 27, 1, 2 ** 27);
    const out = new Float32Array(D);
    headWeightedSumF64(p, 3, rows, { offset: 0, stride: D, kvOffsets: [0], D }, 3, out, 0);
    // 2^53 + 1 rounds to 2^53, minus 2^53: 0; the last two columns sum exactly: 2^27 + 1 + 2^27
    expect(Array.from(out)).toEqual([0, 0, 2 ** 28 + 1, 2 ** 28 + 1].map(Math.fround));
    const ref = new Float32Array(D);
    headWeightedSumF64Reference(p, 3, rows, { offset: 0, stride: D, kvOffsets: [0], D }, 3, ref, 0);
    expect(Array.from(ref)).toEqual(Array.from(out));
  });

  it("sums each dot in d order: 2^53 + 1 - 2^53 is 0 in order, for both heads of a lane pair", () => {
    const D = 4;
    const rows = residentFloat32(4 * D); // one position, four heads (the kernel's step)
    rows.set([2 ** 26, 1, -(2 ** 26), 0], 0);
    rows.set([1, 2 ** 26, 1, -(2 ** 26)], D);
    rows.set([1, 2, 3, 4], 2 * D);
    rows.set([-1, -2, -3, -4], 3 * D);
    const q = Float32Array.from([2 ** 27, 1, 2 ** 27, 0, 1, 2 ** 27, 1, 2 ** 27, 1, 1, 1, 1, 1, 1, 1, 1]);
    const at = { offset: 0, stride: 4 * D, kvOffsets: [0, D, 2 * D, 3 * D], D };
    const scores = new Float64Array(4);
    headDotsF64(q, 0, rows, at, 1, scores, 1);
    // head 0: 2^53 + 1 rounds to 2^53, minus 2^53: 0; head 1: 1 + 2^53 rounds to 2^53, + 1 rounds to 2^53, - 2^53: 0
    expect(Array.from(scores)).toEqual([0, 0, 10, -10]);
    const ref = new Float64Array(4);
    headDotsF64Reference(q, 0, rows, at, 1, ref, 1);
    expect(Array.from(ref)).toEqual(Array.from(scores));
  });

  it("rejects layouts that do not fit, bad numbers, short p or out", () => {
    const rows = new Float32Array(8);
    const at = { offset: 0, stride: 4, kvOffsets: [0, 2], D: 2 };
    expect(() => headWeightedSumF64(new Float64Array(8), 4, rows, at, 3, new Float32Array(4), 0)).toThrow(ArgumentError);
    expect(() => headWeightedSumF64(new Float64Array(8), 4, rows, { ...at, kvOffsets: [-1, 2] }, 1, new Float32Array(4), 0)).toThrow(/non-negative integers/);
    expect(() => headWeightedSumF64(new Float64Array(3), 4, rows, at, 2, new Float32Array(4), 0)).toThrow(/p needs 2 rows of 4/);
    expect(() => headWeightedSumF64Reference(new Float64Array(8), 4, rows, at, 2, new Float32Array(3), 0)).toThrow(ArgumentError);
    expect(() => headDotsF64(new Float32Array(4), 0, rows, at, 2, new Float64Array(3), 2)).toThrow(/scores 2 rows of 2/);
    expect(() => headDotsF64Reference(new Float32Array(3), 0, rows, at, 2, new Float64Array(4), 2)).toThrow(/q needs 4 values/);
  });
});
