// The WebAssembly SIMD kernels held to their JavaScript reference twins on
// random shapes with tails: the ternary kernel exactly (int32 sums, then the
// reference's own rescaling), the float32 matmuls within float32 rounding;
// the arena's allocator; and the backend's forced fallback (simd: false).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BackendError, type CpuStorage, cpuBackend, matmul, randn, tensor } from "@bitnet-quantize/tensor";
import { packTernary, packTernaryArray, ternaryMatmul, ternaryMatmulReference } from "@bitnet-quantize/tensor/quant";
import { ternaryMatmulCpuJs } from "../src/quant/ternary-matmul.js";
import { adoptWords, finishTernaryJob, prepareTernaryJob, runTernaryRows, ternaryMatmulWasm, ternaryPrepReference, ternaryWasmApplies } from "../src/wasm/ternary-wasm.js";
import { matmulReference } from "../src/cpu/matmul.js";
import { binaryKernel } from "../src/cpu/elementwise.js";
import { reduceKernel } from "../src/cpu/reduce.js";
import { WasmArena, binaryWasm, matmulWasm, sumWasm, matmulWasmNN, matmulWasmNT, wasmKernels } from "../src/wasm/index.js";
import { wasmApi } from "../src/wasm/index.js";

const api = wasmApi() as NonNullable<ReturnType<typeof wasmApi>>;

const trit = fc.constantFrom(-1, 0, 1);

const ternaryCase = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom(0, 64, 128))
  .map(([M, N, K, g]) => ({ M, N, K, groupSize: g === 0 ? K : g }))
  .chain((c) =>
    fc.tuple(
      fc.constant(c),
      fc.array(fc.integer({ min: -128, max: 127 }), { minLength: c.M * c.K, maxLength: c.M * c.K }),
      fc.array(trit, { minLength: c.N * c.K, maxLength: c.N * c.K }),
      fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), { minLength: c.M, maxLength: c.M }),
      fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), { minLength: c.N * Math.ceil(c.K / c.groupSize), maxLength: c.N * Math.ceil(c.K / c.groupSize) }),
      fc.nat(),
    ),
  );

describe("wasm ternary kernel", () => {
  it("equals ternaryMatmulReference exactly: batch 1..9, any K (tails), per-row or 64/128-column groups, any row range", () => {
    fc.assert(
      fc.property(ternaryCase, ([{ M, N, K, groupSize }, xs, ts, xsc, wsc, cut]) => {
        const x = Int8Array.from(xs);
        const words = packTernaryArray(ts, N, K);
        const xScale = Float32Array.from(xsc);
        const wScale = Float32Array.from(wsc);
        const ref = new Float32Array(M * N);
        ternaryMatmulReference(x, xScale, words, wScale, M, N, K, groupSize, ref);
        const got = new Float32Array(M * N);
        expect(ternaryMatmulWasm(x, xScale, words, wScale, M, N, K, groupSize, got)).toBe(true);
        expect(Array.from(got)).toEqual(Array.from(ref));
        // two row ranges (as a worker pool splits them) fill the same output
        const split = new Float32Array(M * N);
        const mid = cut % (N + 1);
        expect(ternaryMatmulWasm(x, xScale, words, wScale, M, N, K, groupSize, split, 0, mid)).toBe(true);
        expect(ternaryMatmulWasm(x, xScale, words, wScale, M, N, K, groupSize, split, mid, N)).toBe(true);
        expect(Array.from(split)).toEqual(Array.from(ref));
      }),
      { seed: 1101, numRuns: 250 },
    );
  });

  it("equals ternaryMatmulReference exactly with one activation divisor per row and group (Q8_K blocks: 64/128/256 columns), any row range", () => {
    const groupedCase = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 700 }), fc.constantFrom(64, 128, 256))
      .map(([M, N, K, groupSize]) => ({ M, N, K, groupSize, G: Math.ceil(K / groupSize) }))
      .chain((c) =>
        fc.tuple(
          fc.constant(c),
          fc.array(fc.integer({ min: -128, max: 127 }), { minLength: c.M * c.K, maxLength: c.M * c.K }),
          fc.array(trit, { minLength: c.N * c.K, maxLength: c.N * c.K }),
          fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), { minLength: c.M * c.G, maxLength: c.M * c.G }),
          fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), { minLength: c.N * c.G, maxLength: c.N * c.G }),
          fc.nat(),
        ),
      );
    fc.assert(
      fc.property(groupedCase, ([{ M, N, K, groupSize }, xs, ts, xsc, wsc, cut]) => {
        const x = Int8Array.from(xs);
        const words = packTernaryArray(ts, N, K);
        const xScale = Float32Array.from(xsc);
        const wScale = Float32Array.from(wsc);
        const ref = new Float32Array(M * N);
        ternaryMatmulReference(x, xScale, words, wScale, M, N, K, groupSize, ref);
        const got = new Float32Array(M * N);
        expect(ternaryMatmulWasm(x, xScale, words, wScale, M, N, K, groupSize, got)).toBe(true);
        expect(Array.from(got)).toEqual(Array.from(ref));
        const js = new Float32Array(M * N);
        ternaryMatmulCpuJs(x, xScale, words, wScale, M, N, K, groupSize, js);
        expect(Array.from(js)).toEqual(Array.from(ref));
        const split = new Float32Array(M * N);
        const mid = cut % (N + 1);
        expect(ternaryMatmulWasm(x, xScale, words, wScale, M, N, K, groupSize, split, 0, mid)).toBe(true);
        expect(ternaryMatmulWasm(x, xScale, words, wScale, M, N, K, groupSize, split, mid, N)).toBe(true);
        expect(Array.from(split)).toEqual(Array.from(ref));
      }),
      { seed: 1102, numRuns: 200 },
    );
  });

  it("holds at the extremes: x = -128 and 127 everywhere, all -1 or all +1 weights, K = 4096", () => {
    const K = 4096;
    const N = 6;
    for (const xv of [-128, 127]) {
      for (const tv of [-1, 1]) {
        const x = new Int8Array(2 * K).fill(xv);
        const words = packTernaryArray(new Int8Array(N * K).fill(tv), N, K);
        const ref = new Float32Array(2 * N);
        const got = new Float32Array(2 * N);
        ternaryMatmulReference(x, new Float32Array([1, 1]), words, new Float32Array(N).fill(1), 2, N, K, K, ref);
        ternaryMatmulWasm(x, new Float32Array([1, 1]), words, new Float32Array(N).fill(1), 2, N, K, K, got);
        expect(Array.from(got)).toEqual(Array.from(ref));
        expect(got[0]).toBe(xv * tv * K);
      }
    }
  });

  it("reads the packed words as stored: whatever the padding bits past K hold, the result is the reference's on clean words", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 200 }), fc.nat(), (N, K, seed) => {
        const ts = Array.from({ length: N * K }, (_, i) => ((i * 7 + seed) % 3) - 1);
        const words = packTernaryArray(ts, N, K);
        const dirty = words.slice();
        const wpr = Math.ceil(K / 16);
        const used = K % 16; // codes in a row's last word
        if (used !== 0) for (let r = 0; r < N; r++) dirty[r * wpr + wpr - 1] |= (0xffffffff << (2 * used)) >>> 0; // code 3 in every padding field
        const x = Int8Array.from({ length: K }, (_, i) => ((i * 37 + seed) % 256) - 128);
        const ref = new Float32Array(N);
        ternaryMatmulReference(x, new Float32Array([2]), words, new Float32Array(N).fill(0.5), 1, N, K, K, ref);
        const got = new Float32Array(N);
        expect(ternaryMatmulWasm(x, new Float32Array([2]), dirty, new Float32Array(N).fill(0.5), 1, N, K, K, got)).toBe(true);
        expect(Array.from(got)).toEqual(Array.from(ref));
      }),
      { seed: 1104, numRuns: 120 },
    );
  });

  it("runs a prepared job's rows in any split, the same as one call (what pool threads share)", () => {
    const kernels = wasmKernels();
    if (kernels === undefined) throw new Error("no wasm SIMD in this Node");
    const [M, N, K] = [3, 37, 512];
    const words = packTernaryArray(Array.from({ length: N * K }, (_, i) => ((i * 5) % 3) - 1), N, K);
    const x = Int8Array.from({ length: M * K }, (_, i) => ((i * 11) % 255) - 127);
    const xScale = Float32Array.from({ length: M * 2 }, (_, i) => 1 + i / 7); // one divisor per row and 256-column group
    const wScale = Float32Array.from({ length: N * 2 }, (_, i) => 0.25 + i / 100);
    const ref = new Float32Array(M * N);
    ternaryMatmulReference(x, xScale, words, wScale, M, N, K, 256, ref);
    const p = prepareTernaryJob(kernels, x, xScale, words, wScale, M, N, K, 256);
    if (p === undefined) throw new Error("wasm memory could not grow");
    for (const [a, b] of [[20, 37], [0, 5], [5, 20]] as const) runTernaryRows(kernels, p.jobs[0], a, b);
    const got = new Float32Array(M * N);
    finishTernaryJob(kernels, p, got, 0, N);
    expect(Array.from(got)).toEqual(Array.from(ref));
  });

  it("lays out a token's activations (the ternary_prep kernel) exactly as its plain twin: any K, groups of 1..5 blocks or one per row, extremes -128 and 127", () => {
    const kernels = wasmKernels();
    if (kernels === undefined) throw new Error("no wasm kernels");
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.boolean(),
        (K, g, seed, extreme) => {
          const blocks = Math.ceil(K / 64);
          const bpg = g === 0 ? blocks : g;
          const G = Math.ceil(blocks / bpg);
          let s = seed;
          const x = Int8Array.from({ length: K }, () => {
            s = (s * 1103515245 + 12345) >>> 0;
            return extreme ? (s & 1 ? 127 : -128) : (s >>> 8) % 256 - 128;
          });
          const want = new Int16Array(blocks * 64);
          const wantCorr = new Int32Array(G);
          ternaryPrepReference(x, 0, K, blocks, bpg, want, wantCorr);
          const { arena } = kernels;
          const [px, pv, pc] = [arena.alloc(blocks * 64), arena.alloc(blocks * 128), arena.alloc(G * 4 + 4)];
          try {
            const bytes = new Int8Array(arena.memory.buffer, px, blocks * 64);
            bytes.set(x);
            bytes.fill(0, K);
            new Int32Array(arena.memory.buffer, pc, G + 1).fill(-7); // stale values; one past the end stays
            kernels.ternaryPrep(px, blocks, bpg, pv, pc);
            expect(Array.from(new Int16Array(arena.memory.buffer, pv, blocks * 64))).toEqual(Array.from(want));
            expect(Array.from(new Int32Array(arena.memory.buffer, pc, G + 1))).toEqual([...wantCorr, -7]);
          } finally {
            for (const p of [px, pv, pc]) arena.release(p);
          }
        },
      ),
      { seed: 41, numRuns: 300 },
    );
  });

  it("declines what it does not cover (float activations, groups not of whole 64-column blocks), computing nothing", () => {
    const words = packTernaryArray([1, -1, 0, 1], 1, 4);
    const out = new Float32Array([7]);
    expect(ternaryWasmApplies(new Float32Array(4), 4, 4)).toBe(false);
    expect(ternaryMatmulWasm(new Float32Array(4), new Float32Array([1]), words, new Float32Array([1]), 1, 1, 4, 4, out)).toBe(false);
    expect(ternaryWasmApplies(new Int8Array(128), 128, 32)).toBe(false);
    expect(out[0]).toBe(7);
  });

  it("converts frozen weights once: repeated calls reuse the copy in wasm memory", () => {
    const kernels = wasmKernels();
    if (kernels === undefined) throw new Error("no wasm SIMD in this Node");
    const K = 512;
    const N = 64;
    const words = packTernaryArray(Array.from({ length: N * K }, (_, i) => ((i * 7) % 3) - 1), N, K);
    const x = Int8Array.from({ length: K }, (_, i) => (i % 255) - 127);
    const out = new Float32Array(N);
    ternaryMatmulWasm(x, new Float32Array([1]), words, new Float32Array(N).fill(1), 1, N, K, K, out);
    const used = kernels.arena.used;
    for (let i = 0; i < 5; i++) ternaryMatmulWasm(x, new Float32Array([1]), words, new Float32Array(N).fill(1), 1, N, K, K, out);
    expect(kernels.arena.used).toBe(used);
  });
});

const floatCase = fc
  .tuple(fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 41 }), fc.integer({ min: 1, max: 70 }), fc.integer())
  .map(([M, N, K, seed]) => ({ M, N, K, seed }));

/** |got - want| <= Σ_k |a·b| · K · 2^-22 (float32 sums of K terms) + tiny. */
function expectWithinRounding(got: Float32Array, a: Float32Array, bt: Float32Array, M: number, N: number, K: number): void {
  const want = new Float64Array(M * N);
  matmulReference(a, bt, want, M, N, K);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let mag = 0;
      for (let k = 0; k < K; k++) mag += Math.abs(a[m * K + k] * bt[n * K + k]);
      const err = Math.abs(got[m * N + n] - want[m * N + n]);
      expect(err).toBeLessThanOrEqual(mag * K * 2 ** -22 + 1e-30);
    }
  }
}

describe("frozen weights resident in wasm memory", () => {
  it("the CPU backend moves a packed-weight storage into the shared wasm memory at its first wasm product, once, with unchanged results", () => {
    const kernels = wasmKernels();
    if (kernels === undefined) throw new Error("no wasm SIMD in this Node");
    expect(kernels.arena.shared).toBe(true); // Node has SharedArrayBuffer
    const cpu = cpuBackend();
    const [M, N, K] = [2, 24, 320];
    const ts = Array.from({ length: N * K }, (_, i) => ((i * 13) % 3) - 1);
    const w = packTernary(tensor(Float32Array.from(ts), [N, K], "float32", cpu));
    const storage = w.words.storage as CpuStorage;
    const before = storage.data;
    expect(before.buffer).not.toBe(kernels.arena.memory.buffer);
    const x = tensor(Int8Array.from({ length: M * K }, (_, i) => (i % 200) - 100), [M, K], "int8", cpu);
    const xScale = tensor(new Float32Array([2, 3]), [M], "float32", cpu);
    const wScale = tensor(Float32Array.from({ length: N }, (_, i) => 0.5 + i / 64), [N], "float32", cpu);
    const y1 = ternaryMatmul(x, w, xScale, wScale, K).toArray();
    const moved = storage.data;
    expect(moved).not.toBe(before);
    expect(moved.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(moved)).toEqual(Array.from(before));
    const y2 = ternaryMatmul(x, w, xScale, wScale, K).toArray();
    expect(storage.data).toBe(moved); // moved once
    expect(y2).toEqual(y1);
    const ref = new Float32Array(M * N);
    ternaryMatmulReference(x.dataSync(), new Float32Array([2, 3]), before as Uint32Array, wScale.dataSync(), M, N, K, K, ref);
    expect((y1 as number[][]).flat()).toEqual(Array.from(ref));
  });

  it("adoptWords gives an equal view of wasm memory (the same one when asked again); relocate refuses an array of another dtype or length", () => {
    const words = Uint32Array.from({ length: 100 }, (_, i) => (i * 2654435761) >>> 0);
    const view = adoptWords(words);
    if (view === undefined) throw new Error("no shared wasm memory in this Node");
    expect(Array.from(view)).toEqual(Array.from(words));
    expect(adoptWords(view)).toBe(view);
    const s = cpuBackend().upload(new Uint32Array(4), "uint32") as CpuStorage;
    expect(() => s.relocate(new Uint32Array(5))).toThrow(BackendError);
    expect(() => s.relocate(new Int32Array(4))).toThrow(/uint32 array of 4 values/);
  });
});

describe("wasm float32 matmul", () => {
  it("A·B (row-major B) and A·Btᵀ match the reference within float32 rounding, tails in M, N and K", () => {
    fc.assert(
      fc.property(floatCase, ({ M, N, K, seed }) => {
        const a = randn([M, K], { seed }).dataSync();
        const bt = randn([N, K], { seed: seed + 1 }).dataSync();
        const b = new Float32Array(K * N);
        for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) b[k * N + n] = bt[n * K + k];
        const nn = new Float32Array(M * N);
        const nt = new Float32Array(M * N);
        expect(matmulWasmNN(a, b, nn, M, N, K)).toBe(true);
        expect(matmulWasmNT(a, bt, nt, M, N, K)).toBe(true);
        expectWithinRounding(nn, a, bt, M, N, K);
        expectWithinRounding(nt, a, bt, M, N, K);
        const viaKernel = new Float32Array(M * N);
        matmulWasm(a, bt, viaKernel, M, N, K);
        expect(Array.from(viaKernel)).toEqual(Array.from(nt));
      }),
      { seed: 1102, numRuns: 150 },
    );
  });

  it("A·B over many 8-column panels and 4 KiB rows of B (the padded copy, one packed panel at a time), with stale NaNs in the arena", () => {
    const kernels = wasmKernels();
    if (kernels === undefined) throw new Error("no wasm SIMD in this Node");
    const wide = fc
      .tuple(fc.integer({ min: 1, max: 13 }), fc.constantFrom(1024, 1021, 1031, 1016), fc.integer({ min: 1, max: 37 }), fc.integer())
      .map(([M, N, K, seed]) => ({ M, N, K, seed }));
    fc.assert(
      fc.property(wide, ({ M, N, K, seed }) => {
        // released blocks keep their bytes: fill what the next call will reuse with NaN
        const stale = kernels.arena.alloc(4 * (M * K + K * (N + 32) + M * (N + 8) + 32 * K) + 4096);
        new Float32Array(kernels.arena.memory.buffer).fill(Number.NaN, stale / 4);
        kernels.arena.release(stale);
        const a = randn([M, K], { seed }).dataSync();
        const bt = randn([N, K], { seed: seed + 1 }).dataSync();
        const b = new Float32Array(K * N);
        for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) b[k * N + n] = bt[n * K + k];
        const nn = new Float32Array(M * N);
        expect(matmulWasmNN(a, b, nn, M, N, K)).toBe(true);
        expectWithinRounding(nn, a, bt, M, N, K);
      }),
      { seed: 1103, numRuns: 25 },
    );
  });

  it("is exact where float32 sums are (small integers), and gives zeros for K = 0", () => {
    const a = Float32Array.from({ length: 5 * 9 }, (_, i) => (i % 7) - 3);
    const bt = Float32Array.from({ length: 3 * 9 }, (_, i) => (i % 5) - 2);
    const want = new Float32Array(15);
    matmulReference(a, bt, want, 5, 3, 9);
    const got = new Float32Array(15);
    matmulWasmNT(a, bt, got, 5, 3, 9);
    expect(Array.from(got)).toEqual(Array.from(want));
    const z = new Float32Array([1, 2]).fill(5);
    expect(matmulWasmNN(new Float32Array(0), new Float32Array(0), z, 1, 2, 0)).toBe(true);
    expect(Array.from(z)).toEqual([0, 0]);
  });

  it("declines float64 operands (those stay on the JavaScript kernels)", () => {
    expect(matmulWasmNN(new Float64Array(4), new Float64Array(4), new Float64Array(4), 2, 2, 2)).toBe(false);
  });
});

describe("wasm elementwise float32 kernels", () => {
  it("add/sub/mul/div are bit-identical to binaryKernel, specials (NaN, ±Infinity, -0, subnormals) and tails included", () => {
    const special = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e-45, -3e-39, 3.4e38);
    const value = fc.oneof(fc.float({ noDefaultInfinity: false }), special);
    fc.assert(
      fc.property(fc.constantFrom("add", "sub", "mul", "div"), fc.array(fc.tuple(value, value), { minLength: 0, maxLength: 70 }), (op, pairs) => {
        const a = Float32Array.from(pairs, (p) => p[0]);
        const b = Float32Array.from(pairs, (p) => p[1]);
        const want = new Float32Array(pairs.length);
        const got = new Float32Array(pairs.length);
        binaryKernel(op, a, b, want);
        expect(binaryWasm(op, a, b, got)).toBe(true);
        got.forEach((v, i) => expect(Object.is(v, want[i]) || (Number.isNaN(v) && Number.isNaN(want[i]))).toBe(true));
      }),
      { seed: 1103, numRuns: 300 },
    );
  });

  it("declines other ops and dtypes", () => {
    expect(binaryWasm("pow", new Float32Array(4), new Float32Array(4), new Float32Array(4))).toBe(false);
    expect(binaryWasm("add", new Float64Array(4), new Float64Array(4), new Float64Array(4))).toBe(false);
    expect(binaryWasm("add", new Int32Array(4), new Int32Array(4), new Int32Array(4))).toBe(false);
  });
});

describe("wasm float32 sum", () => {
  it("is bit-identical to reduceKernel's sum on any view (permuted, offset, broadcast strides) and any axes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        fc.nat(),
        fc.integer({ min: 0, max: 5 }),
        (shape, seed, axisBits, offset) => {
          const nd = shape.length;
          // strides of a permuted contiguous buffer, some dimensions broadcast (stride 0)
          const strides = new Array<number>(nd);
          let st = 1;
          for (let d = nd - 1; d >= 0; d--) {
            strides[d] = (axisBits >> (d + 4)) & 1 ? 0 : st;
            st *= shape[d];
          }
          const data = randn([st + offset], { seed }).dataSync();
          data[offset] = 3e38; // large values make the float64 accumulation order visible
          const axes = shape.map((_, d) => d).filter((d) => ((axisBits >> d) & 1) === 1);
          const reduceAxes = axes.length > 0 ? axes : [nd - 1];
          const outLen = shape.filter((_, d) => !reduceAxes.includes(d)).reduce((a, b) => a * b, 1);
          const layout = { shape, strides, offset };
          const want = new Float32Array(outLen);
          const got = new Float32Array(outLen);
          reduceKernel("sum", data, layout, reduceAxes, want);
          reduceKernel("sum", data, layout, reduceAxes, got, sumWasm);
          got.forEach((v, i) => expect(Object.is(v, want[i])).toBe(true));
        },
      ),
      { seed: 1104, numRuns: 300 },
    );
  });

  it("declines non-float32 data", () => {
    expect(sumWasm(new Float64Array(3), new Int32Array([0, 1, 2]), new Float64Array(1), 1, 3)).toBe(false);
  });
});

describe("WasmArena", () => {
  it("allocates 64-byte aligned, disjoint blocks; release coalesces; growth keeps the data (views are re-taken)", () => {
    const arena = new WasmArena(api, 1);
    const p = arena.alloc(100);
    const q = arena.alloc(64);
    expect(p % 64).toBe(0);
    expect(q).toBeGreaterThanOrEqual(p + 128);
    new Uint8Array(arena.memory.buffer, p, 100).fill(9);
    const big = arena.alloc(5 * 65536); // grows the memory: old buffers are detached
    expect(big).toBeGreaterThan(0);
    expect(new Uint8Array(arena.memory.buffer, p, 100).every((v) => v === 9)).toBe(true);
    arena.release(p);
    arena.release(q);
    arena.release(big);
    expect(arena.used).toBe(0);
    expect(arena.alloc(5 * 65536 + 192)).toBe(p); // the coalesced run is reused from its start
  });

  it("allocZeroed gives zero bytes: recycled ones cleared, a block partly above the old top too", () => {
    const arena = new WasmArena(api, 1);
    const a = arena.alloc(256);
    const b = arena.alloc(256);
    new Uint8Array(arena.memory.buffer).fill(7, a, b + 256);
    arena.release(b); // b's run ends at the top: the next block starts there and runs past it
    const z = arena.allocZeroed(1024);
    expect(z).toBe(b);
    expect(new Uint8Array(arena.memory.buffer, z, 1024).every((v) => v === 0)).toBe(true);
    arena.release(a);
    const y = arena.allocZeroed(200);
    expect(y).toBe(a);
    expect(new Uint8Array(arena.memory.buffer, y, 200).every((v) => v === 0)).toBe(true);
    expect(new Uint8Array(arena.memory.buffer, a + 256, 1)[0]).toBe(0); // (b's old bytes were cleared with z)
  });

  it("returns -1 (no throw) when the memory cannot grow", () => {
    const arena = new WasmArena(api, 1);
    expect(arena.alloc(2 ** 33)).toBe(-1);
    expect(arena.alloc(64)).toBeGreaterThan(0);
  });
});

describe("cpuBackend simd option", () => {
  it("simd: false forces the JavaScript kernels; both paths agree (ternary exactly, float within rounding)", () => {
    const wasm = cpuBackend();
    const js = cpuBackend({ simd: false });
    const K = 200;
    const N = 9;
    const M = 5;
    const w = packTernary(tensor(Int8Array.from({ length: N * K }, (_, i) => ((i * 5) % 3) - 1), [N, K], "int8"));
    const x = tensor(Int8Array.from({ length: M * K }, (_, i) => ((i * 13) % 255) - 127), [M, K], "int8");
    const xs = tensor(new Float32Array(M).fill(0.5), [M]);
    const ws = tensor(new Float32Array(N).fill(0.25), [N, 1]);
    const arena = wasmKernels()?.arena;
    const before = arena?.used ?? 0;
    const onJs = ternaryMatmul(x.to(js), { ...w, words: w.words.to(js) }, xs.to(js), ws.to(js), K).dataSync();
    expect(arena?.used).toBe(before); // the JavaScript path left wasm memory alone
    const onWasm = ternaryMatmul(x.to(wasm), { ...w, words: w.words.to(wasm) }, xs.to(wasm), ws.to(wasm), K).dataSync();
    expect(arena?.used).toBeGreaterThan(before); // the wasm path keeps the converted weights there
    expect(Array.from(onWasm)).toEqual(Array.from(onJs));
    const a = randn([33, 70], { seed: 3 });
    const b = randn([70, 21], { seed: 4 });
    const pw = matmul(a.to(wasm), b.to(wasm)).dataSync();
    const pj = matmul(a.to(js), b.to(js)).dataSync();
    pj.forEach((v, i) => expect(Math.abs(pw[i] - (v))).toBeLessThan(1e-4));
    // float32 (wasm) and float64 (JavaScript) accumulation round differently somewhere: proof that the paths differ
    expect(Array.from(pw)).not.toEqual(Array.from(pj));
  });
});
