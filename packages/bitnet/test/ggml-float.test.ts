// llama.cpp's CPU float arithmetic (ggml-float.ts and the "ggml" arithmetic's
// RoPE, attention and SiLU built on it): each fast function against its
// plain reference twin on random inputs, and known values computed by
// ggml itself.
//
// Known values: obtained on an AMD EPYC (AVX512) with llama.cpp b4747,
// (a) by compiling ggml_v_expf / ggml_v_silu copied from ggml-cpu.c with
// `gcc -O2 -march=native` and printing the float32 bits for the inputs
// below, and (b) by evaluating ggml_mul_mat(a F16 [n, M], b F32 [n, N]) with
// ggml_graph_compute_with_ctx (one thread) against libggml-cpu.so, with
// a[r][i] = xval(i + 300r), b[j][i] = yval(i + 1000j) (xval, yval below):
// M = 1, N = 1 runs ggml_vec_dot_f16; M = 4, N = 2 runs llamafile's tinyBLAS;
// (c) the same with an F32 a and N = 1 (ggml_vec_dot_f32), for xval, yval
// and for the full-mantissa values xf(i), yf(i) below, computed in C as
// (float)(u % p) / (float)p - 0.5f with the same uint32 u and prime p.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cachedAttention, cachedAttentionGgml, cachedAttentionGgmlReference, dotF16Ggml, dotF16GgmlReference, dotF32Ggml, dotF32GgmlReference, dotTinyBlas16, dotTinyBlasReference16, expF32Ggml, expF32GgmlReference,
  ffnActivationRows, ffnActivationRowsGgml, fmaF32Reference, reduceAdd16, reduceAddReference16, roundToFloat16, ropeInPlace, ropeInPlaceGgml, ropeTables, siluF32Ggml,
} from "@bitnet-quantize/bitnet";

const f32 = Math.fround;
const bitsOf = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0];
const fromBits = (u: number): number => new Float32Array(new Uint32Array([u]).buffer)[0];

/** Float32 values of every size, zeros of both signs, subnormals. */
const float32 = fc.oneof(
  fc.float({ min: -8, max: 8, noNaN: true }),
  fc.float({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e-38, -3e-39, 1.4e-45, 3e38),
);
/** fp16 values (as numbers): what an fp16 cache, q and probabilities hold. */
const float16 = fc.float({ min: -60000, max: 60000, noNaN: true }).map(roundToFloat16);

describe("expF32Ggml and siluF32Ggml: ggml_v_expf and ggml_v_silu, one lane", () => {
  // [x, ggml_v_expf(x) bits, ggml_v_silu(x) bits] from the compiled ggml code (see the top of the file)
  const known: readonly [number, number, number][] = [
    [-0.5, 0x3f1b4597, 0xbe414d03], [0.1, 0x3f8d763c, 0x3d57080f], [1, 0x402df855, 0x3f3b26a7], [-1, 0x3ebc5ab3, 0xbe89b2b0],
    [2.5, 0x4142eb7f, 0x4013dcd9], [-7.25, 0x3a3a2b00, 0xbba8984f], [0, 0x3f800000, 0x00000000], [10, 0x46ac14f0, 0x411ffe24],
    [-20, 0x310da432, 0xb3310d40], [88, 0x7ef882b7, 0x42b00000], [-87.5, 0x006cb2bc, 0x83949c5e], [0.333333343, 0x3fb2a36e, 0x3e46d9c4],
    [-3.14159274, 0x3d310113, 0xbe054294], [1e-3, 0x3f8020c9, 0x3a032336], [-100, 0x0000001b, 0x80000000], [89, 0x7f800000, 0x42b20000],
  ];
  it("gives ggml's bits for known inputs (not libm's: expf(1) is 0x402df854 there)", () => {
    for (const [x, e, s] of known) {
      expect(bitsOf(expF32Ggml(f32(x))), `exp ${x}`).toBe(e);
      expect(bitsOf(siluF32Ggml(f32(x))), `silu ${x}`).toBe(s);
    }
    expect(bitsOf(f32(Math.exp(1)))).toBe(0x402df854);
  });

  it("equals its reference twin, and stays within 2.5 ulp of e^x where the result is normal", () => {
    // ggml_v_expf is an approximation: over every third float32 in [-87, 88] its error peaks at 2.23 ulp
    // (at x = -4.5529); this bound was 2 ulp until an unseeded run drew one of the inputs above it
    fc.assert(
      fc.property(fc.float({ min: -87, max: 88, noNaN: true }), (x) => {
        const e = expF32Ggml(x);
        if (!Object.is(e, expF32GgmlReference(x))) return false;
        const ulp = 2 ** (Math.floor(Math.log2(e)) - 23);
        return Math.abs(e - Math.exp(x)) <= 2.5 * ulp;
      }),
      { seed: 17, numRuns: 2000 },
    );
    const worst = -4.552886962890625;
    const e = expF32Ggml(worst);
    expect(Math.abs(e - Math.exp(worst)) / 2 ** (Math.floor(Math.log2(e)) - 23)).toBeCloseTo(2.23, 2);
  });

  it("flushes beyond ggml's range and passes NaN through", () => {
    expect(expF32Ggml(-200)).toBe(0);
    expect(expF32Ggml(-Infinity)).toBe(0);
    expect(expF32Ggml(200)).toBe(Infinity);
    expect(expF32Ggml(NaN)).toBeNaN();
  });
});

describe("the fp16 dot products in ggml's lane orders", () => {
  const xval = (i: number): number => (((i * 37) % 2001) - 1000) * 2 ** (-(i % 11) - 8);
  const yval = (i: number): number => (((i * 53) % 1999) - 999) * 2 ** (-(i % 7) - 9);
  const row = (n: number, f: (i: number) => number, off: number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i + off));

  it("dotF16Ggml gives ggml_vec_dot_f16's bits (n = 200: lanes and a double tail; 64: lanes only; 32: the tail only)", () => {
    for (const [n, bits] of [[200, 0x405d4b1f], [64, 0x411a583c], [32, 0x41209fae]] as const) {
      expect(bitsOf(dotF16Ggml(row(n, xval, 0), 0, 1, row(n, yval, 0), 0, 1, n)), `n = ${n}`).toBe(bits);
    }
  });

  it("dotTinyBlas16 gives tinyBLAS's bits (which differ from ggml_vec_dot_f16's for the same sums)", () => {
    const bits = [[0x41241985, 0x3ff49076, 0x4042ff86, 0xc00ab50e], [0x408b0cd0, 0xc073f34d, 0xc0005b0e, 0xbffcc712]];
    for (let j = 0; j < 2; j++) {
      for (let r = 0; r < 4; r++) expect(bitsOf(dotTinyBlas16(row(96, xval, 300 * r), 0, 1, row(96, yval, 1000 * j), 0, 1, 96)), `row ${r} col ${j}`).toBe(bits[j][r]);
    }
    // the vec_dot order gives 0x408b0ccf for row 0, column 1 (ggml_mul_mat with M = 1)
    expect(bitsOf(dotF16Ggml(row(96, xval, 0), 0, 1, row(96, yval, 1000), 0, 1, 96))).toBe(0x408b0ccf);
  });

  it("dotF32Ggml gives ggml_vec_dot_f32's bits: 64 lanes, then a float32 tail of vector products and scalar FMAs", () => {
    for (const [n, bits] of [[200, 0x405d4b20], [64, 0x411a583c], [40, 0x412be698]] as const) {
      expect(bitsOf(dotF32Ggml(row(n, xval, 0), 0, 1, row(n, yval, 0), 0, 1, n)), `n = ${n}`).toBe(bits);
    }
    // full float32 mantissas, where an FMA and a rounded product differ: tails of 8 (72), 9 (41 = 40 + 1 FMA), 13 (5 FMAs)
    const xf = (i: number): number => f32(f32(((Math.imul(i, 2654435761) >>> 0) % 1000003) / 1000003) - 0.5);
    const yf = (i: number): number => f32(f32(((Math.imul(Math.imul(i + 7, 40503), 2246822519) >>> 0) % 999983) / 999983) - 0.5);
    const known = [[200, 0x3f89f94b], [40, 0x3efb1424], [41, 0x3f16008f], [72, 0x3e87c36b], [100, 0x3f1f52f1], [130, 0x3f999773], [13, 0x3f34b0a6]] as const;
    for (const [n, bits] of known) {
      expect(bitsOf(dotF32Ggml(row(n, xf, 0), 0, 1, row(n, yf, 0), 0, 1, n)), `n = ${n}`).toBe(bits);
      expect(bitsOf(dotF32GgmlReference(row(n, xf, 0), 0, 1, row(n, yf, 0), 0, 1, n)), `twin, n = ${n}`).toBe(bits);
    }
  });

  it("dotF32Ggml equals its reference twin on random float32 vectors and strides", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 3 }), fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 600, maxLength: 600 }), (n, xs, v) => {
        const x = Float32Array.from(v);
        const y = Float32Array.from(v.slice().reverse());
        return Object.is(dotF32Ggml(x, 1, xs, y, 0, 1, n), dotF32GgmlReference(x, 1, xs, y, 0, 1, n));
      }),
      { numRuns: 150 },
    );
  });

  it("each equals its reference twin on random fp16 vectors, strides and trailing zeros", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 70 }), fc.array(float16, { minLength: 600, maxLength: 600 }), (n, xs, zeros, v) => {
        const x = Float32Array.from(v);
        const y = Float32Array.from(v.slice().reverse());
        return (
          Object.is(dotF16Ggml(x, 1, xs, y, 0, 1, n, zeros), dotF16GgmlReference(x, 1, xs, y, 0, 1, n, zeros)) &&
          Object.is(dotTinyBlas16(x, 1, xs, y, 0, 1, n), dotTinyBlasReference16(x, 1, xs, y, 0, 1, n))
        );
      }),
      { numRuns: 150 },
    );
  });

  it("trailing zeros move terms between the lanes and the double tail, and agree with a zero-padded dot", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 130 }), fc.integer({ min: 0, max: 70 }), fc.array(float16, { minLength: 200, maxLength: 200 }), (n, zeros, v) => {
        const x = new Float32Array(n + zeros);
        x.set(v.slice(0, n));
        const y = new Float32Array(n + zeros);
        y.set(v.slice(100, 100 + n));
        return Object.is(dotF16Ggml(x, 0, 1, y, 0, 1, n, zeros), dotF16Ggml(x, 0, 1, y, 0, 1, n + zeros));
      }),
    );
  });

  it("reduceAdd16 equals its twin", () => {
    fc.assert(fc.property(fc.array(float32, { minLength: 16, maxLength: 16 }), (a) => Object.is(reduceAdd16(a, 0), reduceAddReference16(a, 0))));
  });
});

describe("the \"ggml\" arithmetic's RoPE, attention and SiLU", () => {
  it("ropeInPlaceGgml fuses one product of each difference (llama.cpp's bits where ropeInPlace's double arithmetic differs)", () => {
    const r = ropeTables(8, 4, 10000);
    fc.assert(
      fc.property(fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 7 }), (v, t) => {
        const a = Float32Array.from(v);
        const b = Float32Array.from(v);
        ropeInPlaceGgml(a, 0, 4, r, t);
        for (let i = 0; i < 2; i++) {
          const c = r.cos[t * 2 + i], s = r.sin[t * 2 + i];
          b[i] = fmaF32Reference(v[i], c, -f32(v[i + 2] * s));
          b[i + 2] = fmaF32Reference(v[i], s, f32(v[i + 2] * c));
        }
        return a.every((x, i) => Object.is(x, b[i]));
      }),
    );
    // known: llama.cpp's Qcur after rope (blk 0, head 0, position 6, pair 2 of D = 96, the large random bench model) and its input
    const v = new Float32Array(96);
    v[2] = fromBits(0xbf221274);
    v[50] = fromBits(0x3f4197eb);
    const tables = ropeTables(7, 96, 10000);
    const ggml = v.slice();
    ropeInPlaceGgml(ggml, 0, 96, tables, 6);
    expect([bitsOf(ggml[2]), bitsOf(ggml[50])]).toEqual([0x3f7bd185, 0x3d920a38]);
    const plain = v.slice();
    ropeInPlace(plain, 0, 96, tables, 6);
    expect([bitsOf(plain[2]), bitsOf(plain[50])]).toEqual([0x3f7bd186, 0x3d920a39]); // one ulp off each: a·c − b·s rounded once
  });

  const shapes = fc.record({
    N: fc.integer({ min: 1, max: 4 }),
    start: fc.integer({ min: 0, max: 40 }),
    kvHeads: fc.integer({ min: 1, max: 2 }),
    group: fc.integer({ min: 1, max: 2 }),
    headDim: fc.constantFrom(2, 6, 16, 32),
  });

  it("cachedAttentionGgml equals its reference twin, and stays within float rounding of cachedAttention", () => {
    fc.assert(
      fc.property(shapes, fc.integer(), ({ N, start, kvHeads, group, headDim }, seed) => {
        const H = kvHeads * group;
        const S = start + N;
        let s = seed >>> 0 || 1;
        const rnd = (): number => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return roundToFloat16((s / 2 ** 32) * 4 - 2);
        };
        const q = Float32Array.from({ length: N * H * headDim }, rnd);
        const keys = Float32Array.from({ length: S * kvHeads * headDim }, rnd);
        const values = Float32Array.from({ length: S * kvHeads * headDim }, rnd);
        const shape = { N, start, heads: H, kvHeads, headDim, f16: true };
        const a = new Float32Array(N * H * headDim);
        const b = new Float32Array(N * H * headDim);
        const c = new Float32Array(N * H * headDim);
        cachedAttentionGgml(q.slice(), keys, values, a, shape);
        cachedAttentionGgmlReference(q.slice(), keys, values, b, shape);
        cachedAttention(q.slice(), keys, values, c, shape);
        return a.every((x, i) => Object.is(x, b[i]) && Math.abs(x - c[i]) <= 1e-2 * (1 + Math.abs(c[i])));
      }),
      { numRuns: 60 },
    );
  });

  it("cachedAttentionGgml refuses a float32 cache (llama.cpp's F32 matmuls are not emulated)", () => {
    expect(() => cachedAttentionGgml(new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(2), { N: 1, start: 0, heads: 1, kvHeads: 1, headDim: 2, f16: false })).toThrow(/fp16 cache/);
  });

  it("ffnActivationRowsGgml: ggml's SiLU lanes per row of F (a row's last F mod 16 as ffnActivationRows), times up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 }), fc.array(fc.float({ min: -30, max: 30, noNaN: true }), { minLength: 120, maxLength: 120 }), (rows, F, v) => {
        const g = Float32Array.from(v.slice(0, rows * F));
        const u = Float32Array.from(v.slice(0, rows * F).reverse());
        const got = ffnActivationRowsGgml(g, u, "silu", F);
        const plain = ffnActivationRows(g, u, "silu");
        for (let i = 0; i < rows * F; i++) {
          const lane = i % F < F - (F % 16);
          const want = lane ? f32(siluF32Ggml(g[i]) * u[i]) : plain[i];
          if (!Object.is(got[i], want)) return false;
        }
        return true;
      }),
    );
    const relu = ffnActivationRowsGgml(Float32Array.of(-1, 2), Float32Array.of(3, 3), "relu2", 2);
    expect(Array.from(relu)).toEqual([0, 12]);
  });
});
