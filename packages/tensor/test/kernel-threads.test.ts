// The CPU backend's default kernel threads: large WebAssembly ternary
// products split over workers sharing the wasm memory give exactly the
// single-threaded result, before the workers are ready (calling thread only)
// and after; small or non-wasm products stay on the calling thread.
import { describe, expect, it } from "vitest";
import { ArgumentError, type CpuStorage, cpuBackend, tensor } from "@bitnet-quantize/tensor";
import { allocPackedWords, packTernaryArray, packedWordsTensor, ternaryMatmul, ternaryMatmulReference } from "@bitnet-quantize/tensor/quant";
import { KernelThreads, defaultKernelThreads, kernelThreads, threadedTernaryMatmul } from "../src/wasm/kernel-threads.js";
import { nodeBuiltin } from "../src/wasm/node-worker.js";
import { JOB, finishTernaryJob, prepareTernaryJob } from "../src/wasm/ternary-wasm.js";
import { wasmKernels } from "../src/wasm/wasm-kernels.js";

function product(M: number, N: number, K: number, groupSize: number, seed: number) {
  const ts = Array.from({ length: N * K }, (_, i) => ((i * 7 + seed) % 3) - 1);
  const G = Math.ceil(K / groupSize);
  return {
    x: Int8Array.from({ length: M * K }, (_, i) => ((i * 31 + seed) % 256) - 128),
    xScale: Float32Array.from({ length: M * G }, (_, i) => 1 + (i % 5) / 3),
    words: packTernaryArray(ts, N, K),
    wScale: Float32Array.from({ length: N * G }, (_, i) => 0.5 + (i % 11) / 16),
  };
}

describe("kernel threads", () => {
  it("default to the machine's parallelism (at most 4) in Node", () => {
    const n = defaultKernelThreads();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(4);
  });

  it("give exactly the single-threaded product, before and after the worker is ready, per-row and per-group divisors", async () => {
    const kernel = threadedTernaryMatmul(2);
    const cases = [
      { M: 1, N: 1536, K: 1536, groupSize: 256 }, // a decode step's q projection, Q8_K divisors
      { M: 3, N: 1000, K: 1024, groupSize: 1024 }, // one divisor per row, N not a multiple of the 4-row tile
    ];
    const check = (seed: number): void => {
      for (const { M, N, K, groupSize } of cases) {
        const { x, xScale, words, wScale } = product(M, N, K, groupSize, seed);
        const xs = groupSize >= K ? xScale.subarray(0, M) : xScale;
        const ref = new Float32Array(M * N);
        ternaryMatmulReference(x, xs, words, wScale, M, N, K, groupSize, ref);
        const got = new Float32Array(M * N);
        kernel(x, xs, words, wScale, M, N, K, groupSize, got);
        expect(Array.from(got)).toEqual(Array.from(ref));
      }
    };
    check(1); // starts the team; its worker is not ready yet
    const team = kernelThreads(2);
    if (team === undefined) throw new Error("kernel threads cannot run in this Node");
    for (let i = 0; i < 200 && team.ready === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(team.ready).toBe(1);
    for (let seed = 2; seed < 12; seed++) check(seed);
  });

  it("run through the backend's ternaryMatmul op with the same results as threads: 1", () => {
    const [M, N, K] = [2, 2048, 1024];
    const { x, xScale, words, wScale } = product(M, N, K, K, 3);
    const run = (threads: number): number[] => {
      const cpu = cpuBackend({ threads });
      const w = { words: tensor(words, [N, K / 16], "uint32", cpu), shape: [N, K] };
      return Array.from(ternaryMatmul(tensor(x, [M, K], "int8", cpu), w, tensor(xScale.subarray(0, M), [M], "float32", cpu), tensor(wScale, [N], "float32", cpu), K).dataSync());
    };
    expect(run(2)).toEqual(run(1));
  });

  it("a job that traps does not hang the caller (whichever thread hits the bad rows), and the team then still gives exact products", async () => {
    const kernels = wasmKernels();
    const wt = nodeBuiltin<ConstructorParameters<typeof KernelThreads>[2]>("node:worker_threads");
    if (kernels === undefined || wt === undefined) throw new Error("kernel threads cannot run in this Node");
    const team = new KernelThreads(kernels, 1, wt);
    for (let i = 0; i < 200 && team.ready === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(team.ready).toBe(1);
    const [M, N, K] = [1, 64, 64];
    const { x, xScale, words, wScale } = product(M, N, K, K, 5);
    const bad = prepareTernaryJob(kernels, x, xScale.subarray(0, M), words, wScale, M, N, K, K);
    if (bad === undefined) throw new Error("wasm memory could not grow");
    // every row past the memory's end: each thread that takes a chunk traps
    bad.jobs[0][JOB.w] = kernels.arena.memory.buffer.byteLength;
    for (let i = 0; i < 5; i++) expect(() => team.runRows(kernels, bad)).toThrow(/out of bounds/);
    for (const t of bad.temps) kernels.arena.release(t);
    const good = prepareTernaryJob(kernels, x, xScale.subarray(0, M), words, wScale, M, N, K, K);
    if (good === undefined) throw new Error("wasm memory could not grow");
    team.runRows(kernels, good);
    const got = new Float32Array(M * N);
    finishTernaryJob(kernels, good, got, 0, N);
    const want = new Float32Array(M * N);
    ternaryMatmulReference(x, xScale.subarray(0, M), words, wScale, M, N, K, K, want);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it("never wait for a late worker: its chunk is redone on the calling thread, its job's blocks are held until it is done, and a busy worker sits out the next products", async () => {
    const kernels = wasmKernels();
    const wt = nodeBuiltin<ConstructorParameters<typeof KernelThreads>[2]>("node:worker_threads");
    if (kernels === undefined || wt === undefined) throw new Error("kernel threads cannot run in this Node");
    const team = new KernelThreads(kernels, 1, wt);
    try {
      for (let i = 0; i < 200 && team.ready === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(team.ready).toBe(1);
      const [M, N, K] = [1, 4096, 1024];
      const { words, wScale } = product(M, N, K, 256, 1); // one weight matrix: resident once, so the arena's use is steady
      const run = (seed: number): { free: boolean; ms: number; exact: boolean } => {
        const { x, xScale } = product(M, N, K, 256, seed);
        const p = prepareTernaryJob(kernels, x, xScale, words, wScale, M, N, K, 256);
        if (p === undefined) throw new Error("wasm memory could not grow");
        const t0 = performance.now();
        const free = team.runRows(kernels, p);
        const ms = performance.now() - t0;
        const got = new Float32Array(M * N);
        finishTernaryJob(kernels, p, got, 0, N, free);
        const want = new Float32Array(M * N);
        ternaryMatmulReference(x, xScale, words, wScale, M, N, K, 256, want);
        return { free, ms, exact: got.every((v, i) => v === want[i]) };
      };
      expect(run(1).exact).toBe(true); // also makes the weights resident
      // the arena's use with nothing held: after a product that was free, whose start released what was done with
      let used = -1;
      for (let i = 0; i < 20 && used < 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        if (run(1).free) used = kernels.arena.used;
      }
      expect(used).toBeGreaterThan(0);
      // the worker sleeps 400 ms inside each chunk it takes; it takes one if it is awake when the job starts
      // (right after another product it spins, but a loaded machine may deschedule it): try a few times
      let late: ReturnType<typeof run> | undefined;
      for (let attempt = 0; attempt < 10 && late === undefined; attempt++) {
        const rescued = team.rescued;
        expect(run(2).exact).toBe(true);
        team.stallWorkers(400);
        const r = run(3);
        team.stallWorkers(0);
        expect(r.exact).toBe(true);
        if (team.rescued > rescued) late = r;
        else await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (late === undefined) throw new Error("the worker never took a chunk in 10 tries");
      expect(late.ms).toBeLessThan(300); // its chunk was redone here, not waited for
      expect(late.free).toBe(false); // the worker may still write into the job's blocks: held
      expect(kernels.arena.used).toBeGreaterThan(used);
      expect(run(4)).toMatchObject({ free: true, exact: true }); // the busy worker sits this one out
      await new Promise((r) => setTimeout(r, 600)); // the worker wakes, finishes its late chunk
      for (let seed = 5; seed < 25; seed++) expect(run(seed).exact).toBe(true);
      // each product first releases the held blocks its workers are done with; one that was itself free leaves nothing held
      let clean = false;
      for (let seed = 25; seed < 45 && !clean; seed++) {
        await new Promise((r) => setTimeout(r, 20));
        clean = run(seed).free && kernels.arena.used === used;
      }
      expect(clean).toBe(true);
    } finally {
      await team.close();
    }
  });

  it("reject a thread count that is not a positive integer", () => {
    expect(() => cpuBackend({ threads: 0 })).toThrow(ArgumentError);
    expect(() => cpuBackend({ threads: 1.5 })).toThrow(/threads must be a positive integer, got 1.5/);
  });
});

describe("packed words resident where the kernels read them", () => {
  it("allocPackedWords gives zeroed words in the shared wasm memory; packedWordsTensor takes them over on a CPU backend, and products match the reference", () => {
    const [N, K] = [40, 200];
    const wpr = Math.ceil(K / 16);
    const words = allocPackedWords(N * wpr);
    expect(words.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(words.every((v) => v === 0)).toBe(true);
    const codes = packTernaryArray(Array.from({ length: N * K }, (_, i) => ((i * 5) % 3) - 1), N, K);
    words.set(codes);
    const cpu = cpuBackend();
    const t = packedWordsTensor(words, N, wpr, cpu);
    expect((t.storage as CpuStorage).data).toBe(words); // no copy
    const x = Int8Array.from({ length: K }, (_, i) => (i % 100) - 50);
    const ref = new Float32Array(N);
    ternaryMatmulReference(x, new Float32Array([4]), codes, new Float32Array(N).fill(0.75), 1, N, K, K, ref);
    const y = ternaryMatmul(tensor(x, [1, K], "int8", cpu), { words: t, shape: [N, K] }, tensor(new Float32Array([4]), [1], "float32", cpu), tensor(new Float32Array(N).fill(0.75), [N], "float32", cpu), K);
    expect(Array.from(y.dataSync())).toEqual(Array.from(ref));
    expect((t.storage as CpuStorage).data).toBe(words); // already resident: not moved again
  });

  it("reject bad lengths with typed errors", () => {
    expect(() => allocPackedWords(-1)).toThrow(ArgumentError);
    expect(() => packedWordsTensor(new Uint32Array(5), 2, 3)).toThrow(/5 words for 2 x 3/);
  });
});
