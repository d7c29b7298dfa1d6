// Matmul: the blocked kernel against its plain twin on random sizes (tails of
// the 4x2 tile included), and the op's batching and 1-D rules against loops.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, matmul, randn, tensor, zeros } from "@bitnet-quantize/tensor";
import { findMismatch, tensorOfShapeArb } from "@bitnet-quantize/tensor/testing";
import { matmulAxpy, matmulBlocked, matmulReference } from "../src/cpu/matmul.js";
import { naiveMatmul } from "./naive.js";

const SEED = 4242;

describe("CPU matmul kernel", () => {
  it("the blocked kernel equals the reference for any M, N, K", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 37 }), fc.integer(), (M, N, K, seed) => {
        const a = randn([M, K], { seed, dtype: "float64" }).dataSync();
        const bt = randn([N, K], { seed: seed + 1, dtype: "float64" }).dataSync();
        const c1 = new Float64Array(M * N);
        const c2 = new Float64Array(M * N);
        matmulBlocked(a, bt, c1, M, N, K);
        matmulReference(a, bt, c2, M, N, K);
        expect(findMismatch(c1, c2, { rtol: 1e-12, atol: 1e-12 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe("CPU small-M matmul kernel", () => {
  it("the row-streaming kernel on a row-major B equals the reference on its transpose", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 23 }), fc.integer(), (M, N, K, seed) => {
        const a = randn([M, K], { seed, dtype: "float64" }).dataSync();
        const bT = randn([K, N], { seed: seed + 1, dtype: "float64" });
        const bt = bT.transpose().contiguous().dataSync();
        const c1 = new Float64Array(M * N);
        const c2 = new Float64Array(M * N);
        matmulAxpy(a, bT.dataSync(), c1, M, N, K);
        matmulReference(a, bt, c2, M, N, K);
        expect(findMismatch(c1, c2, { rtol: 1e-12, atol: 1e-12 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe("matmul op", () => {
  it("matches a float64 loop for strided operands", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).chain(([M, K, N]) =>
          fc.tuple(tensorOfShapeArb([M, K]), tensorOfShapeArb([K, N])),
        ),
        ([a, b]) => {
          const [M, K] = a.shape as [number, number];
          const N = b.shape[1];
          const ref = naiveMatmul(a.dataSync(), b.dataSync(), M, K, N);
          expect(findMismatch(matmul(a, b).dataSync(), ref, { rtol: 1e-5, atol: 1e-4 })).toBeUndefined();
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("broadcasts batch dimensions", () => {
    const a = randn([2, 1, 3, 4], { seed: 1 });
    const b = randn([5, 4, 2], { seed: 2 });
    const c = matmul(a, b);
    expect(c.shape).toEqual([2, 5, 3, 2]);
    const ad = a.dataSync();
    const bd = b.dataSync();
    const cd = c.dataSync();
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 5; j++) {
        const ref = naiveMatmul(ad.subarray(i * 12, i * 12 + 12), bd.subarray(j * 8, j * 8 + 8), 3, 4, 2);
        expect(findMismatch(cd.subarray((i * 5 + j) * 6, (i * 5 + j) * 6 + 6), ref, { rtol: 1e-5, atol: 1e-5 })).toBeUndefined();
      }
  });

  it("follows PyTorch's 1-D rules and rejects bad shapes and dtypes", () => {
    expect(matmul(tensor([1, 2]), tensor([3, 4])).shape).toEqual([]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
    expect(matmul(tensor([1, 2]), tensor([[1, 0], [0, 1]])).toArray()).toEqual([1, 2]);
    expect(matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray()).toEqual([3, 7]);
    expect(matmul(zeros([7, 2, 3]), zeros([3, 4])).shape).toEqual([7, 2, 4]);
    expect(() => matmul(zeros([2, 3]), zeros([2, 3]))).toThrow(ShapeError);
    expect(() => matmul(zeros([2, 3]), zeros([2, 3]))).toThrow(/\[2,3\] x \[2,3\]/);
    expect(() => matmul(zeros([2, 2], "int32"), zeros([2, 2], "int32"))).toThrow(DTypeError);
    expect(matmul(zeros([2, 3], "float64"), zeros([3, 1])).dtype).toBe("float64");
  });
});
