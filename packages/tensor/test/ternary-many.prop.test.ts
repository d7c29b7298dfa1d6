// Several ternary products of one activation (q, k and v; gate and up):
// ternaryMatmulMany equals one ternaryMatmul per weight bit for bit on every
// CPU path (one thread, kernel threads, the JavaScript kernels, a backend
// without the op), the kernels under it equal the plain reference, and bad
// operands get typed errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, type Backend, BackendError, ShapeError, cpuBackend, tensor } from "@bitnet-quantize/tensor";
import {
  type TernaryProduct, packTernaryArray, ternaryMatmul, ternaryMatmulMany, ternaryMatmulManyCpu, ternaryMatmulManyInto, ternaryMatmulReference,
} from "@bitnet-quantize/tensor/quant";
import { kernelThreads, threadedTernaryMatmulMany } from "../src/wasm/kernel-threads.js";

const SEED = 2711;

interface Case {
  readonly M: number;
  readonly K: number;
  readonly groupSize: number;
  readonly ns: readonly number[];
  readonly seed: number;
}

/** Deterministic operands of a case: int8 codes, divisors (per row, or per row and group), and per weight its words and scales. */
function operands({ M, K, groupSize, ns, seed }: Case, grouped: boolean) {
  const G = Math.ceil(K / groupSize);
  const x = Int8Array.from({ length: M * K }, (_, i) => ((i * 31 + seed * 7) % 255) - 127);
  const xScale = Float32Array.from({ length: grouped ? M * G : M }, (_, i) => 1 + ((i + seed) % 7) / 5);
  const weights = ns.map((N, p) => ({
    N,
    ts: Array.from({ length: N * K }, (_, i) => ((i * (5 + 2 * p) + seed + p) % 3) - 1),
    wScale: Float32Array.from({ length: N * G }, (_, i) => 0.25 + ((i + p) % 13) / 16),
  }));
  return { x, xScale, G, weights: weights.map((w) => ({ ...w, words: packTernaryArray(w.ts, w.N, K) })) };
}

function references(c: Case, grouped: boolean): Float32Array[] {
  const { x, xScale, weights } = operands(c, grouped);
  return weights.map(({ N, words, wScale }) => {
    const out = new Float32Array(c.M * N);
    ternaryMatmulReference(x, xScale, words, wScale, c.M, N, c.K, c.groupSize, out);
    return out;
  });
}

function kernelOutputs(kernel: (x: Int8Array, xScale: Float32Array, products: readonly TernaryProduct[], M: number, K: number, groupSize: number) => void, c: Case, grouped: boolean): Float32Array[] {
  const { x, xScale, weights } = operands(c, grouped);
  const products = weights.map(({ N, words, wScale }) => ({ w: words, wScale, N, out: new Float32Array(c.M * N).fill(Number.NaN) }));
  kernel(x, xScale, products, c.M, c.K, c.groupSize);
  return products.map((p) => p.out);
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** A decode step's shapes (q, k, v; gate, up), more products than a team job holds, rows not in whole 4-row tiles, per-group divisors. */
const SHAPES: readonly (Case & { readonly grouped: boolean })[] = [
  { M: 1, K: 1536, groupSize: 256, ns: [1536, 512, 512], seed: 1, grouped: true },
  { M: 1, K: 1024, groupSize: 1024, ns: [2048, 2048], seed: 2, grouped: false },
  { M: 3, K: 512, groupSize: 512, ns: [1000, 36, 1204, 8, 700, 2000], seed: 3, grouped: false },
  { M: 2, K: 768, groupSize: 256, ns: [1024, 1030, 4], seed: 4, grouped: true },
];

describe("ternaryMatmulMany", () => {
  it("the one-thread kernel equals the reference for each product, bit for bit", () => {
    for (const c of SHAPES) expect(kernelOutputs(ternaryMatmulManyCpu, c, c.grouped).map(bits)).toEqual(references(c, c.grouped).map(bits));
  });

  it("kernel threads give each product's reference bits, before their worker is ready and after, in batches past the job's product limit", async () => {
    const many = threadedTernaryMatmulMany(2);
    const check = (seed: number): void => {
      for (const c of SHAPES) {
        const s = { ...c, seed: c.seed + seed };
        expect(kernelOutputs(many, s, c.grouped).map(bits)).toEqual(references(s, c.grouped).map(bits));
      }
    };
    check(0); // starts the team; its worker is not ready yet
    const team = kernelThreads(2);
    if (team === undefined) throw new Error("kernel threads cannot run in this Node");
    for (let i = 0; i < 200 && team.ready === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(team.ready).toBe(1);
    for (let seed = 1; seed < 4; seed++) check(seed);
  });

  it("a late worker's chunks of any product are redone on the calling thread, with the same bits", async () => {
    const many = threadedTernaryMatmulMany(2);
    const team = kernelThreads(2);
    if (team === undefined) throw new Error("kernel threads cannot run in this Node");
    for (let i = 0; i < 200 && team.ready === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const c: Case = { M: 1, K: 1024, groupSize: 256, ns: [1536, 1000, 1536], seed: 9 };
    const want = references(c, true).map(bits);
    let rescued = false;
    for (let attempt = 0; attempt < 10 && !rescued; attempt++) {
      const before = team.rescued;
      expect(kernelOutputs(many, c, true).map(bits)).toEqual(want); // the worker is awake after this one
      team.stallWorkers(100);
      try {
        expect(kernelOutputs(many, c, true).map(bits)).toEqual(want);
      } finally {
        team.stallWorkers(0);
      }
      rescued = team.rescued > before;
      await new Promise((r) => setTimeout(r, 300)); // the stalled worker finishes; its blocks are released at the next job
    }
    expect(rescued).toBe(true);
    for (let seed = 10; seed < 14; seed++) {
      const s = { ...c, seed };
      expect(kernelOutputs(many, s, true).map(bits)).toEqual(references(s, true).map(bits));
    }
  });

  it("the op equals one ternaryMatmul per weight on every CPU path (threads 1 and 2, JavaScript kernels, a backend without the op)", () => {
    const threaded = cpuBackend({ threads: 2 });
    const plain = cpuBackend({ threads: 1 });
    const js = cpuBackend({ simd: false });
    const without: Backend = { ...cpuBackend({ threads: 1 }) };
    delete without.ternaryMatmulMany;
    const shape = fc.record({
      M: fc.integer({ min: 1, max: 3 }),
      blocks: fc.integer({ min: 1, max: 6 }),
      groups: fc.constantFrom(1, 2, 3),
      ns: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      grouped: fc.boolean(),
      lead: fc.boolean(),
    });
    fc.assert(
      fc.property(shape, ({ M, blocks, groups, ns, seed, grouped, lead }) => {
        const groupSize = 64 * blocks;
        const K = groupSize * groups;
        const c: Case = { M, K, groupSize, ns, seed };
        const isGrouped = grouped && groups > 1;
        const { x, xScale, G, weights } = operands(c, isGrouped);
        const want = references(c, isGrouped).map(bits);
        for (const b of [threaded, plain, js, without]) {
          const xt = tensor(x, lead ? [1, M, K] : [M, K], "int8", b);
          const st = tensor(xScale, isGrouped ? (lead ? [1, M, G] : [M, G]) : lead ? [1, M] : [M], "float32", b);
          const ws = weights.map(({ N, words }) => ({ words: tensor(words, [N, words.length / N], "uint32", b), shape: [N, K] }));
          const scales = weights.map(({ N, wScale }) => tensor(wScale, [N, G], "float32", b));
          const got = ternaryMatmulMany(xt, ws, st, scales, groupSize);
          expect(got.map((t) => t.shape)).toEqual(ns.map((N) => (lead ? [1, M, N] : [M, N])));
          expect(got.map((t) => bits(t.dataSync()))).toEqual(want);
          // and each equals the single op
          expect(got.map((t) => bits(t.dataSync()))).toEqual(ws.map((w, i) => bits(ternaryMatmul(xt, w, st, scales[i], groupSize).dataSync())));
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("works the documented example and rejects bad operands with typed errors", () => {
    const a = { words: tensor(packTernaryArray([1, -1, 0], 1, 3), [1, 1], "uint32"), shape: [1, 3] };
    const b = { words: tensor(packTernaryArray([0, 1, 1, 1, 1, 1], 2, 3), [2, 1], "uint32"), shape: [2, 3] };
    const x = tensor(new Int8Array([2, 3, 4]), [1, 3]);
    const [ya, yb] = ternaryMatmulMany(x, [a, b], tensor([1]), [tensor([[0.5]]), tensor([[1], [2]])], 3);
    expect(ya.toArray()).toEqual([[-0.5]]);
    expect(yb.toArray()).toEqual([[7, 18]]);
    expect(ternaryMatmulMany(x, [], tensor([1]), [], 3)).toEqual([]);
    expect(() => ternaryMatmulMany(x, [a, b], tensor([1]), [tensor([[0.5]])], 3)).toThrow(ArgumentError);
    const wide = { words: tensor(packTernaryArray([1, 1, 1, 1], 1, 4), [1, 1], "uint32"), shape: [1, 4] };
    expect(() => ternaryMatmulMany(x, [a, wide], tensor([1]), [tensor([[1]]), tensor([[1]])], 3)).toThrow(ShapeError);
    expect(() => ternaryMatmulMany(x, [a, wide], tensor([1]), [tensor([[1]]), tensor([[1]])], 3)).toThrow(/every weight must have K = 3 columns, got \[1,4\]/);
    expect(() => ternaryMatmulMany(x, [a, b], tensor([1]), [tensor([[1]]), tensor([[1]])], 3)).toThrow(/wScale \[1,1\] must hold \[2, 1\]/);
    const other = cpuBackend({ threads: 1 });
    const far = { words: tensor(packTernaryArray([1, 1, 1], 1, 3), [1, 1], "uint32", other), shape: [1, 3] };
    expect(() => ternaryMatmulMany(x, [a, far], tensor([1]), [tensor([[1]]), tensor([[1]])], 3)).toThrow(BackendError);
  });
});

describe("ternaryMatmulManyInto", () => {
  it("writes ternaryMatmulMany's bits into the caller's arrays on every CPU path, a backend without the op included", () => {
    const without: Backend = { ...cpuBackend({ threads: 1 }) };
    delete without.ternaryMatmulManyInto;
    const cases = SHAPES.map((c) => ({ c, ops: operands(c, c.grouped), want: references(c, c.grouped).map(bits) }));
    for (const b of [cpuBackend({ threads: 2 }), cpuBackend({ threads: 1 }), cpuBackend({ simd: false }), without]) {
      for (const { c, ops, want } of cases) {
        const { x, xScale, G, weights } = ops;
        const xt = tensor(x, [c.M, c.K], "int8", b);
        const st = tensor(xScale, c.grouped ? [c.M, G] : [c.M], "float32", b);
        const ws = weights.map(({ N, words }) => ({ words: tensor(words, [N, words.length / N], "uint32", b), shape: [N, c.K] }));
        const scales = weights.map(({ N, wScale }) => tensor(wScale, [N, G], "float32", b));
        const outs = c.ns.map((N) => new Float32Array(c.M * N).fill(Number.NaN));
        ternaryMatmulManyInto(xt, ws, st, scales, c.groupSize, outs);
        expect(outs.map(bits)).toEqual(want);
      }
    }
  });

  it("works the documented example and rejects bad outputs with typed errors", () => {
    const w = { words: tensor(packTernaryArray([1, -1, 0], 1, 3), [1, 1], "uint32"), shape: [1, 3] };
    const x = tensor(new Int8Array([2, 3, 4]), [1, 3]);
    const out = new Float32Array(1);
    ternaryMatmulManyInto(x, [w], tensor([1]), [tensor([[0.5]])], 3, [out]);
    expect(Array.from(out)).toEqual([-0.5]);
    expect(() => ternaryMatmulManyInto(x, [w], tensor([1]), [tensor([[0.5]])], 3, [])).toThrow(/1 weights, 1 scale tensors and 0 outputs must agree/);
    expect(() => ternaryMatmulManyInto(x, [w], tensor([1]), [tensor([[0.5]])], 3, [new Float32Array(2)])).toThrow(/output 0 must be a Float32Array of 1 x 1 values, got 2 values/);
    expect(() => ternaryMatmulManyInto(x, [w], tensor([1]), [tensor([[0.5]])], 3, [new Float64Array(1) as unknown as Float32Array])).toThrow(ArgumentError);
  });
});
