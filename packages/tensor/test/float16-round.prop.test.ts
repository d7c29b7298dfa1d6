// Rounding float32 values to binary16 precision: the WebAssembly kernel
// equals its plain twin bit for bit (any float32 bit pattern, any length and
// offset), and the twin equals an independent float64 oracle (the nearest
// multiple of the binade's binary16 ulp, ties to even) over a million
// patterns spread over all of them and at every edge: binade and subnormal
// ties, 65504..65520, 2^-14, zeros, infinities, NaN.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, roundFloat16Range, roundFloat16RangeReference, roundHalfEven } from "@bitnet-quantize/tensor";

const SEED = 1616;

/** The nearest binary16 value of a finite or infinite x, ties to even, from its binade's ulp in float64 (NaN: NaN). */
function oracle(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10);
  const r = roundHalfEven(a / ulp) * ulp; // a / ulp is exact: ulp is a power of two
  const v = r > 65504 ? Infinity : r;
  return x < 0 ? -v : v;
}

const fromBits = (bits: ArrayLike<number>): Float32Array => new Float32Array(Uint32Array.from(bits).buffer);
const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

const EDGES = [
  0, -0, Infinity, -Infinity, Number.NaN, 65504, -65504, 65519.996, 65520, 65536, 3.4e38, 2 ** -14, -(2 ** -14), 2 ** -14 - 2 ** -25, 2 ** -24, 2 ** -25, 3 * 2 ** -25,
  5 * 2 ** -25, 2 ** -26, 1e-45, -1e-45, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 - 2 ** -12, 2048 + 1, 2048 + 3, 0.1, 1 / 3, -2.5e-6, 6.1e-5, 6.2e-5,
];

/** Bit patterns at the branch edges: the smallest NaNs, a negative NaN, the last values before overflow and before the normal range. */
const EDGE_BITS = [0x7f800001, 0xff800001, 0xffffffff, 0x7fbfffff, 0x477fefff, 0x477ff000, 0xc77ff000, 0x387fffff, 0x38800000, 0xb8800000, 0x33000000, 0x00000001, 0x80000001];

describe("roundFloat16Range", () => {
  it("the twin equals the float64 oracle on a million float32 bit patterns spread over all of them, and at the edges", () => {
    const step = 4099; // prime: every exponent and low-bit pattern is visited
    const n = Math.floor(2 ** 32 / step);
    const src = new Float32Array(n);
    const u = new Uint32Array(src.buffer);
    for (let i = 0; i < n; i++) u[i] = (i * step + 12345) >>> 0;
    const got = new Float32Array(n);
    roundFloat16RangeReference(src, got, 0, n);
    let bad = -1;
    for (let i = 0; i < n && bad < 0; i++) if (!Object.is(got[i], Math.fround(oracle(src[i])))) bad = i;
    expect(bad < 0 ? "ok" : `${src[bad]} -> ${got[bad]}, expected ${oracle(src[bad])}`).toBe("ok");
    const edges = Float32Array.from([...EDGES, ...fromBits(EDGE_BITS)]);
    const e = new Float32Array(edges.length);
    roundFloat16RangeReference(edges, e, 0, edges.length);
    expect(Array.from(e).map((v, i) => Object.is(v, Math.fround(oracle(edges[i]))) || `${edges[i]} -> ${v}`)).toEqual(Array.from(edges, () => true));
    expect(Array.from(e.subarray(14, 18))).toEqual([2 ** -24, 0, 2 ** -23, 2 ** -23]); // subnormal ties to even: 2^-25 -> 0, 3·2^-25 and 5·2^-25 -> 2^-23
  });

  it("the kernel equals the twin bit for bit: any bit patterns (NaN payloads kept), lengths and offsets, in place too", () => {
    fc.assert(
      // at least MIN_KERNEL_VALUES (64) values, so that the kernel runs (shorter ranges run the twin itself)
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 64, maxLength: 300 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), (bits, offset, inPlace) => {
        const edges = [...EDGES.map((v) => new Uint32Array(Float32Array.of(v).buffer)[0]), ...EDGE_BITS];
        const src = fromBits([...edges, ...bits, ...edges]);
        const n = src.length;
        const want = new Float32Array(n + offset);
        roundFloat16RangeReference(src, want, offset, n);
        const got = inPlace && offset === 0 ? src.slice() : new Float32Array(n + offset);
        roundFloat16Range(inPlace && offset === 0 ? got : src, got, offset, n);
        expect(bitsOf(got)).toEqual(bitsOf(want));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("works the documented examples and rejects ranges that do not fit", () => {
    const dst = new Float32Array(3);
    roundFloat16Range(new Float32Array([0.1, 65520, 1e-7]), dst, 0, 3);
    expect(Array.from(dst)).toEqual([0.0999755859375, Infinity, 1.1920928955078125e-7]);
    expect(() => roundFloat16Range(new Float32Array(4), new Float32Array(4), 1, 4)).toThrow(ArgumentError);
    expect(() => roundFloat16RangeReference(new Float32Array(4), new Float32Array(4), 0, 5)).toThrow(/5 values from 4 into 4 at 0 do not fit/);
  });
});
