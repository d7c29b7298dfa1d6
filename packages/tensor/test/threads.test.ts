// The opt-in matmul thread pool: results identical to the single-threaded
// kernel (each element is computed by the same code), through the backend.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { cpuBackend, matmul, randn } from "@bitnet-quantize/tensor";
import { createMatmulPool } from "@bitnet-quantize/tensor/threads";
import { matmulBlocked } from "../src/cpu/matmul.js";

const pool = await createMatmulPool({ threads: 3, minFlops: 0 });
afterAll(() => pool.close());

describe("createMatmulPool", () => {
  it("gives exactly the single-threaded product, float32 and float64, any M (tails included)", () => {
    const threaded = cpuBackend({ matmul: pool.run });
    const plain = cpuBackend({ simd: false }); // the same JavaScript kernel the pool runs
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.integer(), (M, N, K, f64, seed) => {
        const dtype = f64 ? "float64" : "float32";
        const a = randn([M, K], { seed, dtype });
        const b = randn([K, N], { seed: seed + 1, dtype });
        const want = matmul(a.to(plain), b.to(plain).transpose().contiguous().transpose()).dataSync();
        const got = matmul(a.to(threaded), b.to(threaded).transpose().contiguous().transpose()).dataSync();
        expect(Array.from(got)).toEqual(Array.from(want));
      }),
      { seed: 5, numRuns: 120 },
    );
  });

  it("survives thousands of back-to-back hand-offs (no lost wake-up)", () => {
    const M = 8, N = 8, K = 8;
    const a = randn([M, K], { seed: 1 }).dataSync() as Float32Array;
    const bt = randn([N, K], { seed: 2 }).dataSync() as Float32Array;
    const want = new Float32Array(M * N);
    matmulBlocked(a, bt, want, M, N, K);
    const got = new Float32Array(M * N);
    for (let i = 0; i < 20000; i++) {
      pool.run(a, bt, got, M, N, K);
      if (i % 1000 === 0) expect(Array.from(got)).toEqual(Array.from(want));
    }
    expect(Array.from(got)).toEqual(Array.from(want));
  }, 30_000);

  it("rejects a bad thread count", async () => {
    await expect(createMatmulPool({ threads: 0 })).rejects.toThrow(/threads must be an integer/);
  });
});
