// absMaxRange and quantizeInt8Range: the WebAssembly kernels equal their
// JavaScript twins on any float32 rows (tails, ranges inside a longer
// array, NaN, infinities, ties), either tie rule, any qp; the twins equal
// known values; bad arguments are typed errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ArgumentError, type Int8Rounding, absMaxRange, absMaxRangeReference, quantizeInt8Range, quantizeInt8RangeF32, quantizeInt8RangeF32Reference, quantizeInt8RangeReference,
  roundHalfAway, roundHalfEven,
} from "@bitnet-quantize/tensor";
import { wasmKernels } from "../src/wasm/wasm-kernels.js";

const float32 = fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((bits) => new Float32Array(new Uint32Array([bits]).buffer)[0]);
// finite values near the rounding ties of typical scales, and any finite float32
const value = fc.oneof(fc.float({ min: -4, max: 4, noNaN: true }), fc.integer({ min: -300, max: 300 }).map((k) => Math.fround(k / 2)), float32.filter(Number.isFinite), fc.constantFrom(0, -0));
const case_ = fc.record({
  data: fc.integer({ min: 0, max: 200 }).chain((n) => fc.array(value, { minLength: n, maxLength: n })), // lengths spread evenly: most reach the kernels (64+)
  // now and then one NaN or infinity (more often, nearly every row would hold one and every max would be NaN)
  special: fc.option(fc.record({ at: fc.nat(), v: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) }), { freq: 4 }),
  cut: fc.tuple(fc.nat(20), fc.nat(20)),
  scale: fc.oneof(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), fc.constantFrom(1, 2, 127, 0.5)),
  qp: fc.constantFrom(127, 63, 7, 1),
  rounding: fc.constantFrom<Int8Rounding>("half-even", "half-away"),
});

describe("absMaxRange and quantizeInt8Range", () => {
  it("run the WebAssembly kernels here (Node 20 validates SIMD)", () => {
    const k = wasmKernels();
    expect(k?.absMaxF32).toBeTypeOf("function");
    expect(k?.quantizeInt8).toBeTypeOf("function");
    expect(k?.quantizeInt8F32).toBeTypeOf("function");
  });

  it("equal their reference twins on float32 ranges of any length (NaN, infinities, ties)", () => {
    fc.assert(
      fc.property(case_, ({ data, special, cut, scale, qp, rounding }) => {
        const x = Float32Array.from(data);
        if (special !== null && x.length > 0) x[special.at % x.length] = special.v;
        const start = Math.min(cut[0], x.length);
        const end = Math.max(start, x.length - cut[1]);
        expect(Object.is(absMaxRange(x, start, end), absMaxRangeReference(x, start, end))).toBe(true);
        const got = new Int8Array(x.length + 3).fill(99);
        const want = new Int8Array(x.length + 3).fill(99);
        quantizeInt8Range(x, start, end, scale, qp, rounding, got);
        quantizeInt8RangeReference(x, start, end, scale, qp, rounding, want);
        expect(Array.from(got)).toEqual(Array.from(want)); // outside the range: untouched
        const s32 = Math.fround(scale);
        quantizeInt8RangeF32(x, start, end, s32, got);
        quantizeInt8RangeF32Reference(x, start, end, s32, want);
        expect(Array.from(got)).toEqual(Array.from(want));
      }),
      { seed: 51, numRuns: 400 },
    );
  });

  it("give known values: the max |x|, NaN for a NaN, ties to even or away, clamping to -qp - 1 .. qp", () => {
    const x = Float32Array.from({ length: 80 }, (_, i) => (i - 40) / 2); // -20 .. 19.5: every half
    expect(absMaxRange(x, 0, 80)).toBe(20);
    expect(absMaxRange(x, 41, 80)).toBe(19.5);
    const nan = x.slice();
    nan[77] = Number.NaN;
    expect(absMaxRange(nan, 0, 80)).toBeNaN();
    expect(absMaxRange(nan, 0, 77)).toBe(20);
    for (const [rounding, round] of [["half-even", roundHalfEven], ["half-away", roundHalfAway]] as const) {
      const codes = new Int8Array(80);
      quantizeInt8Range(x, 0, 80, 1, 7, rounding, codes);
      expect(Array.from(codes)).toEqual(Array.from(x, (v) => Math.min(7, Math.max(-8, round(v))) + 0)); // + 0: int8 has no -0
    }
    const c = new Int8Array(3);
    quantizeInt8Range(Float32Array.of(1e30, -1e30, Number.NaN), 0, 3, 127, 127, "half-even", c);
    expect(Array.from(c)).toEqual([127, -128, 0]);
  });

  it("quantizeInt8RangeF32 rounds the float32 product, not the float64 one (Q8_K), and saturates", () => {
    // x·s = 0.5 + 2^-25 - 2^-48 in float64 (rounds to 1) but exactly 0.5 in float32 (a tie, to even: 0)
    const x = new Float32Array(64).fill(Math.fround(1 + 2 ** -23));
    const s = Math.fround(0.5 - 2 ** -25);
    expect(Math.fround(x[0] * s)).toBe(0.5);
    const c32 = new Int8Array(64);
    quantizeInt8RangeF32(x, 0, 64, s, c32);
    expect(c32[0]).toBe(0);
    const c64 = new Int8Array(64);
    quantizeInt8Range(x, 0, 64, s, 127, "half-even", c64);
    expect(c64[0]).toBe(1);
    const c = new Int8Array(3);
    quantizeInt8RangeF32Reference(Float32Array.of(1e30, -1e30, Number.NaN), 0, 3, 1, c);
    expect(Array.from(c)).toEqual([127, -128, 0]);
  });

  it("reject ranges outside the data, short codes, a bad qp, scale or rounding", () => {
    const x = new Float32Array(4);
    expect(() => absMaxRange(x, 2, 5)).toThrow(ArgumentError);
    expect(() => absMaxRangeReference(x, 3, 2)).toThrow(/range 3..2/);
    expect(() => quantizeInt8Range(x, 0, 4, 1, 127, "half-even", new Int8Array(3))).toThrow(/codes hold 3/);
    expect(() => quantizeInt8Range(x, 0, 4, 1, 128, "half-even", new Int8Array(4))).toThrow(/qp/);
    expect(() => quantizeInt8Range(x, 0, 4, Number.NaN, 127, "half-even", new Int8Array(4))).toThrow(/scale/);
    expect(() => quantizeInt8RangeReference(x, 0, 4, 1, 127, "up" as Int8Rounding, new Int8Array(4))).toThrow(/rounding/);
    expect(() => quantizeInt8RangeF32(x, 0, 4, 1, new Int8Array(2))).toThrow(/codes hold 2/);
    expect(() => quantizeInt8RangeF32Reference(x, 0, 5, 1, new Int8Array(8))).toThrow(ArgumentError);
  });
});
