// Packed ternary format and kernels: exact pack/unpack round trips for any
// shape, and the LUT kernels equal to the plain reference (int8: exactly).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, tensor } from "@bitnet-quantize/tensor";
import {
  packTernary, packTernaryArray, ternaryMatmul, ternaryMatmulReference, unpackTernary, unpackTernaryArray, wordsPerRow,
} from "@bitnet-quantize/tensor/quant";
// The lookup-table kernels are internal (not in the published entries): tested from src/.
import { prepareBase3 } from "../src/quant/lut-prepare.js";
import { ternaryMatmulLut } from "../src/quant/ternary-lut.js";
import { prepareBase3x5, ternaryMatmulLut5 } from "../src/quant/lut5.js";
import { prepareBase3x5Grouped, ternaryMatmulLut5Grouped } from "../src/quant/lut5-grouped.js";
import { findMismatch } from "@bitnet-quantize/tensor/testing";

const SEED = 1581;
const trit = fc.constantFrom(-1, 0, 1);

describe("packed ternary format", () => {
  it("round-trips any shape exactly, tails included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
          fc.tuple(fc.constant(shape), fc.array(trit, { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })),
        ),
        ([shape, values]) => {
          const t = tensor(Int8Array.from(values), shape, "int8");
          const p = packTernary(t);
          const cols = shape[shape.length - 1];
          expect(p.words.shape).toEqual([values.length / cols, wordsPerRow(cols)]);
          expect(Array.from(unpackTernary(p).dataSync())).toEqual(values);
          expect(unpackTernary(p).shape).toEqual(shape);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("lays codes out LSB first, code = t + 1, padding with zeros", () => {
    // element j at bits 2j: [1, 0, -1] -> codes 2, 1, 0 then 13 pads of code 1
    let expected = 2 | (1 << 2) | (0 << 4);
    for (let j = 3; j < 16; j++) expected |= 1 << (2 * j);
    expect(packTernaryArray([1, 0, -1], 1, 3)[0]).toBe(expected >>> 0);
    expect(() => packTernaryArray([2], 1, 1)).toThrow(/value 2 at index 0/);
    expect(() => unpackTernaryArray(new Uint32Array([3]), 1, 1)).toThrow(ArgumentError);
    expect(() => packTernary(tensor(1))).toThrow(ShapeError);
    expect(prepareBase3(packTernaryArray([1, 0, -1, 1], 1, 4), 1, 4).codes[0]).toBe(27 * 2 + 9 * 1 + 3 * 0 + 2);
  });
});

const kernelCase = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 70 }), fc.constantFrom(0, 16, 32, 7)) // 0: one group per row
  .map(([M, N, K, g]): [number, number, number, number] => [M, N, K, g === 0 ? K : g])
  .chain(([M, N, K, groupSize]) =>
    fc.tuple(
      fc.constant({ M, N, K, groupSize }),
      fc.array(fc.integer({ min: -128, max: 127 }), { minLength: M * K, maxLength: M * K }),
      fc.array(trit, { minLength: N * K, maxLength: N * K }),
      fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), { minLength: M, maxLength: M }),
      fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), { minLength: N * Math.ceil(K / groupSize), maxLength: N * Math.ceil(K / groupSize) }),
    ),
  );

describe("ternary kernels", () => {
  it("LUT kernel equals the reference exactly on int8 activations (batch 1..9, any K, groups of 16/32 or per row)", () => {
    fc.assert(
      fc.property(kernelCase, ([{ M, N, K, groupSize }, xs, ts, xsc, wsc]) => {
        if (groupSize < K && groupSize % 16 !== 0) return; // the LUT kernel needs 16-aligned groups; the dispatcher falls back
        const x = Int8Array.from(xs);
        const words = packTernaryArray(ts, N, K);
        const xScale = Float32Array.from(xsc);
        const wScale = Float32Array.from(wsc);
        const ref = new Float32Array(M * N);
        const lut = new Float32Array(M * N);
        ternaryMatmulReference(x, xScale, words, wScale, M, N, K, groupSize, ref);
        ternaryMatmulLut(x, xScale, prepareBase3(words, N, K), wScale, M, N, K, groupSize, lut);
        expect(Array.from(lut)).toEqual(Array.from(ref));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("grouped 5-per-lookup kernel equals the reference exactly with one divisor per row (weight-scale groups of any size)", () => {
    fc.assert(
      fc.property(kernelCase, ([{ M, N, K, groupSize }, xs, ts, xsc, wsc]) => {
        const x = Int8Array.from(xs);
        const words = packTernaryArray(ts, N, K);
        const ref = new Float32Array(M * N);
        const lut = new Float32Array(M * N);
        ternaryMatmulReference(x, Float32Array.from(xsc), words, Float32Array.from(wsc), M, N, K, groupSize, ref);
        ternaryMatmulLut5Grouped(x, Float32Array.from(xsc), prepareBase3x5Grouped(words, N, K, groupSize), Float32Array.from(wsc), M, N, K, lut);
        expect(Array.from(lut)).toEqual(Array.from(ref));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("5-per-lookup kernel equals the reference exactly for one scale per row", () => {
    fc.assert(
      fc.property(kernelCase, ([{ M, N, K }, xs, ts, xsc, wsc]) => {
        const x = Int8Array.from(xs);
        const words = packTernaryArray(ts, N, K);
        const xScale = Float32Array.from(xsc);
        const wScale = Float32Array.from(wsc.slice(0, N * Math.ceil(K / K)));
        const ref = new Float32Array(M * N);
        const lut = new Float32Array(M * N);
        ternaryMatmulReference(x, xScale, words, wScale, M, N, K, K, ref);
        ternaryMatmulLut5(x, xScale, prepareBase3x5(words, N, K), wScale, M, N, K, lut);
        expect(Array.from(lut)).toEqual(Array.from(ref));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("grouped activation scales (Q8_K blocks): LUT kernel equals the reference exactly, the reference equals float64, the op dispatches", () => {
    const groupedCase = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 2, max: 5 }), fc.constantFrom(16, 32))
      .chain(([M, N, G, groupSize]) => {
        const K = G * groupSize - (groupSize === 32 ? 5 : 0); // a ragged last group too
        return fc.tuple(
          fc.constant({ M, N, K, G, groupSize }),
          fc.array(fc.integer({ min: -127, max: 127 }), { minLength: M * K, maxLength: M * K }),
          fc.array(trit, { minLength: N * K, maxLength: N * K }),
          fc.array(fc.double({ min: -4, max: 4, noNaN: true }).filter((v) => Math.abs(v) > 0.01), { minLength: M * G, maxLength: M * G }),
          fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), { minLength: N * G, maxLength: N * G }),
        );
      });
    fc.assert(
      fc.property(groupedCase, ([{ M, N, K, G, groupSize }, xs, ts, xsc, wsc]) => {
        const x = Int8Array.from(xs);
        const words = packTernaryArray(ts, N, K);
        const xScale = Float32Array.from(xsc);
        const wScale = Float32Array.from(wsc);
        const ref = new Float32Array(M * N);
        ternaryMatmulReference(x, xScale, words, wScale, M, N, K, groupSize, ref);
        const lut5 = new Float32Array(M * N);
        ternaryMatmulLut5Grouped(x, xScale, prepareBase3x5Grouped(words, N, K, groupSize), wScale, M, N, K, lut5);
        expect(Array.from(lut5)).toEqual(Array.from(ref));
        const expected = new Float64Array(M * N);
        for (let m = 0; m < M; m++)
          for (let n = 0; n < N; n++) {
            let y = 0;
            for (let k = 0; k < K; k++) {
              const g = Math.floor(k / groupSize);
              y += (wScale[n * G + g] * (ts[n * K + k] as number) * xs[m * K + k]) / xScale[m * G + g];
            }
            expected[m * N + n] = y;
          }
        expect(findMismatch(ref, expected, { rtol: 1e-5, atol: 1e-4 })).toBeUndefined();
        const op = ternaryMatmul(tensor(x, [M, K], "int8"), packTernary(tensor(Int8Array.from(ts), [N, K])), tensor(xScale, [M, G]), tensor(wScale, [N, G]), groupSize);
        expect(Array.from(op.dataSync())).toEqual(Array.from(ref));
      }),
      { seed: SEED, numRuns: 150 },
    );
    const w = packTernary(tensor(new Int8Array(64), [1, 64]));
    expect(() => ternaryMatmul(tensor(new Int8Array(64), [1, 64], "int8"), w, tensor(new Float32Array(3), [1, 3]), tensor(new Float32Array(4), [1, 4]), 16)).toThrow(/one per row and scale group/);
  });

  it("reference kernel equals a float64 dot of unpacked weights", () => {
    fc.assert(
      fc.property(kernelCase, ([{ M, N, K, groupSize }, xs, ts, xsc, wsc]) => {
        const G = Math.ceil(K / groupSize);
        const ref = new Float32Array(M * N);
        ternaryMatmulReference(Int8Array.from(xs), Float32Array.from(xsc), packTernaryArray(ts, N, K), Float32Array.from(wsc), M, N, K, groupSize, ref);
        const xScale = Float32Array.from(xsc);
        const wScale = Float32Array.from(wsc);
        const expected = new Float64Array(M * N);
        for (let m = 0; m < M; m++)
          for (let n = 0; n < N; n++) {
            let y = 0;
            for (let k = 0; k < K; k++) y += (wScale[n * G + Math.floor(k / groupSize)]) * (ts[n * K + k] as number) * xs[m * K + k];
            expected[m * N + n] = y / xScale[m];
          }
        expect(findMismatch(ref, expected, { rtol: 1e-5, atol: 1e-4 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("ternaryMatmul op: int8 and float32 activations, leading dims, any backend path", () => {
    fc.assert(
      fc.property(kernelCase, ([{ M, N, K, groupSize }, xs, ts, , wsc]) => {
        const G = Math.ceil(K / groupSize);
        const w = packTernary(tensor(Int8Array.from(ts), [N, K]));
        const xf = tensor(Float32Array.from(xs, (v) => v / 16), [M, K]);
        const y = ternaryMatmul(xf.reshape([1, M, K]), w, tensor(new Float32Array(M).fill(1), [1, M]), tensor(Float32Array.from(wsc), [N, G]), groupSize);
        expect(y.shape).toEqual([1, M, N]);
        const expected = new Float64Array(M * N);
        const xd = xf.dataSync();
        const wScale = Float32Array.from(wsc);
        for (let m = 0; m < M; m++)
          for (let n = 0; n < N; n++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += (wScale[n * G + Math.floor(k / groupSize)]) * (ts[n * K + k] as number) * xd[m * K + k];
            expected[m * N + n] = s;
          }
        expect(findMismatch(y.dataSync(), expected, { rtol: 1e-5, atol: 1e-3 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 100 },
    );
    const w = packTernary(tensor([[1, -1, 0]]));
    expect(ternaryMatmul(tensor(new Int8Array([2, 3, 4]), [1, 3]), w, tensor([1]), tensor([[0.5]]), 3).toArray()).toEqual([[-0.5]]);
    expect(() => ternaryMatmul(tensor(new Int8Array(4), [1, 4]), w, tensor([1]), tensor([[1]]), 3)).toThrow(/does not end in K = 3/);
  });
});
