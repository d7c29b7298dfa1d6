// The opt-in matmul thread pool: results identical to the single-threaded
// kernel (each element is computed by the same code), through the backend:
// the JavaScript blocked kernel (simd: false) and the WebAssembly one.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { cpuBackend, matmul, randn } from "@bitnet-quantize/tensor";
import { createMatmulPool } from "@bitnet-quantize/tensor/threads";
import { matmulBlocked } from "../src/cpu/matmul.js";
import { matmulWasm } from "../src/wasm/index.js";

const pool = await createMatmulPool({ threads: 3, minFlops: 0, simd: false });
const wasmPool = await createMatmulPool({ threads: 3, minFlops: 0 });
afterAll(async () => {
  await pool.close();
  await wasmPool.close();
});

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

  it("with the default simd: true, gives exactly matmulWasm on one thread (each thread runs its own wasm module), float32 and float64, any M", () => {
    const threaded = cpuBackend({ matmul: wasmPool.run });
    const single = cpuBackend({ matmul: matmulWasm });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.integer(), (M, N, K, f64, seed) => {
        const dtype = f64 ? "float64" : "float32";
        const a = randn([M, K], { seed, dtype });
        const b = randn([K, N], { seed: seed + 1, dtype });
        const want = matmul(a.to(single), b.to(single).transpose().contiguous().transpose()).dataSync();
        const got = matmul(a.to(threaded), b.to(threaded).transpose().contiguous().transpose()).dataSync();
        expect(Array.from(got)).toEqual(Array.from(want));
      }),
      { seed: 6, numRuns: 120 },
    );
  });

  it("runs a float64 product after a float32 one whose buffers had an odd number of floats (shared buffers grow in multiples of 8 bytes)", async () => {
    const fresh = await createMatmulPool({ threads: 2, minFlops: 0, simd: false });
    try {
      // float32 first: 27 floats of A, 9 of Bt, 27 of C (odd multiples of 4 bytes); then a smaller float64 product
      for (const [f64, M, N, K] of [[false, 9, 3, 3], [true, 8, 1, 1]] as const) {
        const a = f64 ? Float64Array.from({ length: M * K }, (_, i) => i + 1) : Float32Array.from({ length: M * K }, (_, i) => i + 1);
        const bt = f64 ? Float64Array.from({ length: N * K }, (_, i) => i + 2) : Float32Array.from({ length: N * K }, (_, i) => i + 2);
        const c = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
        const want = f64 ? new Float64Array(M * N) : new Float32Array(M * N);
        fresh.run(a, bt, c, M, N, K);
        matmulBlocked(a, bt, want, M, N, K);
        expect(Array.from(c)).toEqual(Array.from(want));
      }
    } finally {
      await fresh.close();
    }
  });

  it("survives thousands of back-to-back hand-offs (no lost wake-up)", () => {
    const M = 8, N = 8, K = 8;
    const a = randn([M, K], { seed: 1 }).dataSync();
    const bt = randn([N, K], { seed: 2 }).dataSync();
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
