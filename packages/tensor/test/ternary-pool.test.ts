// The opt-in ternary thread pool: results identical to the single-threaded
// kernel for every kernel path (batch 1 and more, per-row, grouped weight
// scales, grouped activation divisors, int8 and float32), through the backend.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { CpuStorage, cpuBackend, tensor } from "@bitnet-quantize/tensor";
import { packTernaryArray, ternaryMatmul, packTernary, ternaryMatmulCpu, ternaryMatmulReference } from "@bitnet-quantize/tensor/quant";
import { ternaryMatmulCpuJs } from "../src/quant/ternary-matmul.js";
import { createTernaryPool } from "@bitnet-quantize/tensor/threads";

const pool = await createTernaryPool({ threads: 3, minWork: 0 });
afterAll(() => pool.close());

describe("createTernaryPool", () => {
  it("gives exactly the single-threaded product on every kernel path, weights shared once and reused", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 24, max: 80 }),
        fc.constantFrom(64, 100, 256, 512),
        fc.constantFrom("row", "group", "q8"),
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        (M, N, K, scales, int8, seed) => {
          const rnd = (i: number): number => (Math.sin(seed * 97 + i * 13.37) * 43758.5453) % 1;
          const trits = Int8Array.from({ length: N * K }, (_, i) => Math.round(rnd(i) * 1.49));
          const w = packTernaryArray(trits, N, K);
          const groupSize = scales === "row" || K % 32 !== 0 ? K : scales === "group" ? 32 : K % 256 === 0 ? 256 : 32;
          const G = Math.ceil(K / groupSize);
          const grouped = scales === "q8" && G > 1;
          const x = int8 ? Int8Array.from({ length: M * K }, (_, i) => Math.round(rnd(i + 7) * 127)) : Float32Array.from({ length: M * K }, (_, i) => rnd(i + 7));
          const xScale = Float32Array.from({ length: grouped ? M * G : M }, (_, i) => 0.5 + Math.abs(rnd(i + 3)));
          const wScale = Float32Array.from({ length: N * G }, (_, i) => 0.1 + Math.abs(rnd(i + 5)));
          const want = new Float32Array(M * N);
          const got = new Float32Array(M * N);
          ternaryMatmulCpu(x, xScale, w, wScale, M, N, K, groupSize, want);
          pool.run(x, xScale, w, wScale, M, N, K, groupSize, got);
          expect(Array.from(got)).toEqual(Array.from(want));
          got.fill(0);
          pool.run(x, xScale, w, wScale, M, N, K, groupSize, got); // the same weights again: already shared
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { seed: 21, numRuns: 60 },
    );
  });

  it("runs the ternaryMatmul op through a backend, and survives many back-to-back hand-offs", () => {
    const backend = cpuBackend({ ternaryMatmul: pool.run });
    const N = 64;
    const K = 256;
    const trits = Int8Array.from({ length: N * K }, (_, i) => (i % 3) - 1);
    const x = tensor(Int8Array.from({ length: 2 * K }, (_, i) => (i % 255) - 127), [2, K], "int8", backend);
    const w = packTernary(tensor(trits, [N, K], "int8", backend));
    const y = ternaryMatmul(x, w, tensor([2, 3], [2], "float32", backend), tensor(new Float32Array(N).fill(0.5), [N, 1], "float32", backend), K).dataSync();
    const plain = cpuBackend();
    const want = ternaryMatmul(x.to(plain), { words: w.words.to(plain), shape: w.shape }, tensor([2, 3], [2], "float32", plain), tensor(new Float32Array(N).fill(0.5), [N, 1], "float32", plain), K).dataSync();
    expect(Array.from(y)).toEqual(Array.from(want));
    const out = new Float32Array(2 * N);
    for (let i = 0; i < 5000; i++) pool.run(x.dataSync(), Float32Array.of(2, 3), w.words.dataSync(), new Float32Array(N).fill(0.5), 2, N, K, K, out);
    expect(Array.from(out)).toEqual(Array.from(want));
  }, 30_000);

  it("a sharedMemory backend uploads into SharedArrayBuffer (the pool then reads the weights in place) with the same results", () => {
    const shared = cpuBackend({ ternaryMatmul: pool.run, sharedMemory: true });
    const plain = cpuBackend();
    const N = 48;
    const K = 512;
    const trits = Int8Array.from({ length: N * K }, (_, i) => ((i * 5) % 3) - 1);
    const w = packTernary(tensor(trits, [N, K], "int8", shared));
    expect(w.words.storage).toBeInstanceOf(CpuStorage);
    expect((w.words.storage as CpuStorage).data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect((tensor([1, 2], [2], "float32", plain).storage as CpuStorage).data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const x = tensor(Int8Array.from({ length: K }, (_, i) => (i % 200) - 100), [1, K], "int8", shared);
    const y = ternaryMatmul(x, w, tensor([3], [1], "float32", shared), tensor(new Float32Array(N).fill(0.25), [N, 1], "float32", shared), K).dataSync();
    const want = ternaryMatmul(x.to(plain), { words: w.words.to(plain), shape: w.shape }, tensor([3], [1], "float32", plain), tensor(new Float32Array(N).fill(0.25), [N, 1], "float32", plain), K).dataSync();
    expect(Array.from(y)).toEqual(Array.from(want));
  });

  it("with simd: false every thread runs the JavaScript kernels, with results identical to the default (WebAssembly) pool and the reference", async () => {
    const js = await createTernaryPool({ threads: 2, minWork: 0, simd: false });
    try {
      for (const [M, N, K, groupSize, grouped] of [[1, 64, 512, 256, true], [1, 40, 256, 256, false], [5, 48, 768, 256, true], [3, 32, 300, 300, false]] as const) {
        const G = Math.ceil(K / groupSize);
        const x = Int8Array.from({ length: M * K }, (_, i) => ((i * 37) % 255) - 127);
        const w = packTernaryArray(Int8Array.from({ length: N * K }, (_, i) => ((i * 11) % 3) - 1), N, K);
        const xScale = Float32Array.from({ length: grouped ? M * G : M }, (_, i) => 0.75 + i * 0.125);
        const wScale = Float32Array.from({ length: N * G }, (_, i) => 0.1 + (i % 7) * 0.05);
        const ref = new Float32Array(M * N);
        ternaryMatmulReference(x, xScale, w, wScale, M, N, K, groupSize, ref);
        const a = new Float32Array(M * N);
        const b = new Float32Array(M * N);
        const c = new Float32Array(M * N);
        js.run(x, xScale, w, wScale, M, N, K, groupSize, a);
        pool.run(x, xScale, w, wScale, M, N, K, groupSize, b);
        ternaryMatmulCpuJs(x, xScale, w, wScale, M, N, K, groupSize, c);
        expect(Array.from(a)).toEqual(Array.from(ref));
        expect(Array.from(b)).toEqual(Array.from(ref));
        expect(Array.from(c)).toEqual(Array.from(ref));
      }
    } finally {
      await js.close();
    }
  });

  it("rejects a bad thread count", async () => {
    await expect(createTernaryPool({ threads: 0 })).rejects.toThrow(/threads must be an integer/);
  });
});
