// ternaryMatmulQ8KGgml (llama.cpp's ggml_vec_dot_tq2_0_q8_K, bit for bit):
// the lookup-table kernel equals its plain reference twin on random shapes
// and operands, and both give ggml's own bits for known operands.
//
// Known values: obtained with llama.cpp b4747's libggml-cpu.so (x86-64,
// AVX2 loop): a scratch C program built TQ2_0 rows with
// ggml_quantize_chunk(GGML_TYPE_TQ2_0, …) from the ternary values
// tern(n, i) · wdv(n, b) below (which gives back exactly those codes and
// d = wdv), Q8_K blocks {d = xdv(m, b), qs = qv(m, i), bsums}, and called
// ggml_get_type_traits_cpu(GGML_TYPE_TQ2_0)->vec_dot on each pair of rows,
// printing the float32 bits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "@bitnet-quantize/tensor";
import { packTernaryArray, ternaryMatmulQ8KGgml, ternaryMatmulQ8KGgmlReference, wordsPerRow } from "@bitnet-quantize/tensor/quant";

const SEED = 2582;
const f32 = Math.fround;
const bitsOf = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0];

// the scratch program's operands (integer arithmetic as in C, on non-negative values)
const tern = (n: number, i: number): number => ((i * 7 + n * 13 + (i >> 3)) % 3) - 1;
const zeroBlock = (n: number, b: number): boolean => (n + b) % 5 === 4;
const wdv = (n: number, b: number): number => (zeroBlock(n, b) ? 0 : (1000 + ((n * 13 + b * 29) % 900)) / 2 ** 14);
const qv = (m: number, i: number): number => ((i * 37 + m * 101 + ((i * i) % 17)) % 255) - 127;
const xdv = (m: number, b: number): number => (800 + ((b * 97 + m * 31) % 211)) / 2 ** 17;

/** [K, m, n, float32 bits of ggml's dot of activation row m with weight row n] */
const KNOWN: readonly (readonly [number, number, number, number])[] = [
  [256, 0, 0, 0x3e9093b8], [256, 0, 1, 0xbe95ef34], [256, 0, 2, 0x3be17080],
  [768, 0, 0, 0x3eb8f87d], [768, 0, 1, 0xbed86993], [768, 0, 2, 0xbe60e578], [768, 0, 3, 0x3e6f13a6],
  [768, 1, 0, 0x3d3178c0], [768, 1, 1, 0x3b855fc0], [768, 1, 2, 0xbd86f27c], [768, 1, 3, 0x3ea94382],
  [1024, 0, 0, 0x3f17e53a], [1024, 0, 1, 0xbed86993], [1024, 0, 2, 0xbee6d753],
  [1024, 1, 0, 0xbcfd3d60], [1024, 1, 1, 0x3b855fc0], [1024, 1, 2, 0xbed9f1e3],
];

type Kernel = typeof ternaryMatmulQ8KGgml;

/** The operands of the scratch program for M x N rows of K, and the kernel's output. */
function knownProduct(kernel: Kernel, M: number, N: number, K: number): Float32Array {
  const B = K / 256;
  const x = new Int8Array(M * K);
  const xd = new Float32Array(M * B);
  const t = new Int8Array(N * K);
  const wd = new Float32Array(N * B);
  for (let m = 0; m < M; m++) {
    for (let i = 0; i < K; i++) x[m * K + i] = qv(m, i);
    for (let b = 0; b < B; b++) xd[m * B + b] = xdv(m, b);
  }
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < K; i++) t[n * K + i] = zeroBlock(n, i >> 8) ? 0 : tern(n, i);
    for (let b = 0; b < B; b++) wd[n * B + b] = wdv(n, b);
  }
  const out = new Float32Array(M * N);
  kernel(x, xd, packTernaryArray(t, N, K), wd, M, N, K, out);
  return out;
}

describe("ternaryMatmulQ8KGgml: llama.cpp's TQ2_0 x Q8_K dot", () => {
  it.each([
    ["the kernel", ternaryMatmulQ8KGgml],
    ["the reference twin", ternaryMatmulQ8KGgmlReference],
  ] as const)("%s gives ggml's bits for known operands", (_, kernel) => {
    for (const [M, N, K] of [[1, 3, 256], [2, 4, 768], [2, 3, 1024]] as const) {
      const out = knownProduct(kernel, M, N, K);
      const got = KNOWN.filter(([k]) => k === K).map(([k, m, n]) => [k, m, n, bitsOf(out[m * N + n])]);
      expect(got).toEqual(KNOWN.filter(([k]) => k === K));
    }
  });

  it("the kernel equals its reference twin on random shapes, codes, block scales and zero blocks", () => {
    const operands = fc
      .record({ M: fc.integer({ min: 1, max: 3 }), N: fc.integer({ min: 1, max: 5 }), B: fc.integer({ min: 1, max: 4 }) })
      .chain(({ M, N, B }) =>
        fc.record({
          M: fc.constant(M),
          N: fc.constant(N),
          K: fc.constant(256 * B),
          x: fc.int8Array({ minLength: M * 256 * B, maxLength: M * 256 * B, min: -127, max: 127 }),
          xd: fc.array(fc.float({ min: f32(1e-6), max: 10, noNaN: true }), { minLength: M * B, maxLength: M * B }),
          t: fc.array(fc.constantFrom(-1, 0, 1), { minLength: N * 256 * B, maxLength: N * 256 * B }),
          // fp16 scales, and zeros (an all-zero TQ2_0 block has d = 0, yet its lanes need not be 0)
          wd: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1024, max: 2047 }).chain((m) => fc.integer({ min: -24, max: 4 }).map((e) => m * 2 ** (e - 10)))), {
            minLength: N * B,
            maxLength: N * B,
          }),
        }),
      );
    fc.assert(
      fc.property(operands, ({ M, N, K, x, xd, t, wd }) => {
        const words = packTernaryArray(Int8Array.from(t), N, K);
        const args = [x, Float32Array.from(xd, f32), words, Float32Array.from(wd), M, N, K] as const;
        const fast = new Float32Array(M * N);
        const ref = new Float32Array(M * N);
        ternaryMatmulQ8KGgml(...args, fast);
        ternaryMatmulQ8KGgmlReference(...args, ref);
        expect(Array.from(fast, bitsOf)).toEqual(Array.from(ref, bitsOf));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("differs from the same sum in another float order (the lanes matter)", () => {
    // one block, M = 1: ggml's 8 fused lanes vs one float32 sum of the whole block's integer dot
    const out = knownProduct(ternaryMatmulQ8KGgml, 2, 4, 768);
    let differs = 0;
    for (let m = 0; m < 2; m++) {
      for (let n = 0; n < 4; n++) {
        let s = 0;
        for (let b = 0; b < 3; b++) {
          let dot = 0;
          for (let i = 256 * b; i < 256 * b + 256; i++) dot += (zeroBlock(n, b) ? 0 : tern(n, i)) * qv(m, i);
          s = f32(s + f32(dot * f32(xdv(m, b) * wdv(n, b))));
        }
        if (s !== out[m * 4 + n]) differs++;
      }
    }
    expect(differs).toBeGreaterThan(0);
  });

  it("refuses a K that is not a multiple of 256 and arrays of the wrong size, naming them", () => {
    const x = new Int8Array(256);
    const words = new Uint32Array(wordsPerRow(256));
    expect(() => ternaryMatmulQ8KGgml(new Int8Array(16), new Float32Array(1), new Uint32Array(1), new Float32Array(1), 1, 1, 16, new Float32Array(1))).toThrow(ArgumentError);
    expect(() => ternaryMatmulQ8KGgml(new Int8Array(16), new Float32Array(1), new Uint32Array(1), new Float32Array(1), 1, 1, 16, new Float32Array(1))).toThrow(/multiple of 256/);
    expect(() => ternaryMatmulQ8KGgml(x, new Float32Array(2), words, new Float32Array(1), 1, 1, 256, new Float32Array(1))).toThrow(/xd has 2 elements; expected \[M, K\/256\]/);
    expect(() => ternaryMatmulQ8KGgml(x, new Float32Array(1), words, new Float32Array(1), 1, 2, 256, new Float32Array(2))).toThrow(/words has 16 elements/);
  });
});
