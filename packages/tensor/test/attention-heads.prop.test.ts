// headWeightedSumF64: the WebAssembly kernel (all heads of a position at
// once, walking the cache row by row) equals its reference twin (one head
// at a time) bit for bit on random shapes: heads sharing kv heads (GQA),
// head sizes not a multiple of 4 (the per-head fallback), row padding and
// offsets, resident or plain rows; known values where another order of the
// sum would round differently; bad arguments are typed errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, headWeightedSumF64, headWeightedSumF64Reference, residentFloat32 } from "@bitnet-quantize/tensor";
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

describe("headWeightedSumF64", () => {
  it("runs the WebAssembly kernel here (Node 20 validates SIMD)", () => {
    expect(wasmKernels()?.headWeightedSum).toBeTypeOf("function");
  });

  it("equals its reference twin bit for bit: any heads, GQA groups, D, T, row padding and offset, resident or not", () => {
    fc.assert(
      fc.property(shape, ({ kvHeads, group, D, T, pad, offset, seed }) => {
        const H = kvHeads * group;
        const stride = kvHeads * D + pad;
        const at = { offset, stride, kvOffsets: Array.from({ length: H }, (_, h) => Math.floor(h / group) * D), D };
        const n = offset + Math.max(T, 1) * stride + 3;
        const res = residentFloat32(n);
        fill(res, seed);
        const plain = res.slice();
        const pStride = T + 2;
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

  it("rejects layouts that do not fit, bad numbers, short p or out", () => {
    const rows = new Float32Array(8);
    const at = { offset: 0, stride: 4, kvOffsets: [0, 2], D: 2 };
    expect(() => headWeightedSumF64(new Float64Array(8), 4, rows, at, 3, new Float32Array(4), 0)).toThrow(ArgumentError);
    expect(() => headWeightedSumF64(new Float64Array(8), 4, rows, { ...at, kvOffsets: [-1, 2] }, 1, new Float32Array(4), 0)).toThrow(/non-negative integers/);
    expect(() => headWeightedSumF64(new Float64Array(3), 4, rows, at, 2, new Float32Array(4), 0)).toThrow(/p needs 2 rows of 4/);
    expect(() => headWeightedSumF64Reference(new Float64Array(8), 4, rows, at, 2, new Float32Array(3), 0)).toThrow(ArgumentError);
  });
});
