// siluMulF32: the WebAssembly kernel (its e^x in fdlibm's steps, the
// algorithm of Math.exp) equals its JavaScript twin bit for bit on any
// float32 input, in place or not, any length (tails); the twin equals
// known values and the tensor ops' rounding; fdlibm's branch boundaries,
// overflow, underflow, zeros and NaN; bad lengths are typed errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, add, div, exp, mul, neg, siluMulF32, siluMulF32Reference, tensor } from "@bitnet-quantize/tensor";
import { wasmKernels } from "../src/wasm/wasm-kernels.js";

/** The first index where a and b differ as values (NaN equals NaN), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Doubles next to v (fdlibm's thresholds sit between float32 values; the float32 neighbours of these are tested). */
const near = (v: number): number[] => [v, Math.fround(v), -v, -Math.fround(v), Math.fround(v * (1 + 2 ** -23)), Math.fround(v * (1 - 2 ** -23))];

// fdlibm's branches (|x| vs ln2/2, 1.5·ln2, 2^-28), float32 overflow and underflow of e^-g, the clamp, specials
const EDGES = [
  ...near(0.5 * Math.LN2), ...near(1.5 * Math.LN2), ...near(2 ** -28), ...near(88.72283935546875), ...near(103.97208404541016),
  ...near(87.33654022216797), ...near(100), ...near(110), 0, -0, 1e-40, -1e-40, 3.4028234663852886e38, -3.4028234663852886e38,
  Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1, -1, 0.5, -0.5,
];

const float32 = fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((bits) => new Float32Array(new Uint32Array([bits]).buffer)[0]);
const anyFloat = fc.oneof(float32, fc.float({ min: -120, max: 120 }), fc.constantFrom(...EDGES));

describe("siluMulF32", () => {
  it("runs the WebAssembly kernel here (Node 20 validates SIMD)", () => {
    expect(wasmKernels()?.siluMul).toBeTypeOf("function");
  });

  it("equals its reference twin bit for bit: any float32, any length, in place", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }).chain((n) => fc.tuple(fc.array(anyFloat, { minLength: n, maxLength: n }), fc.array(anyFloat, { minLength: n, maxLength: n }))), ([g, u]) => {
        const gate = Float32Array.from(g);
        const up = Float32Array.from(u);
        const want = siluMulF32Reference(gate, up, new Float32Array(gate.length));
        expect(firstDifference(siluMulF32(gate, up, new Float32Array(gate.length)), want)).toBe(-1);
        expect(firstDifference(siluMulF32(gate, up, up.slice()), want)).toBe(-1);
        const inPlace = gate.slice();
        expect(firstDifference(siluMulF32(inPlace, up, inPlace), want)).toBe(-1);
      }),
      { seed: 41, numRuns: 300 },
    );
  });

  it("equals its twin on 2^20 float32 values spread over the whole range of e^-g in float32", () => {
    const n = 2 ** 20;
    const gate = new Float32Array(n);
    for (let i = 0; i < n; i++) gate[i] = -104 + (193 * i) / n + (i % 7) * 1e-6; // -104 .. 89, every rounding of e^-g
    const up = new Float32Array(n).fill(1);
    expect(firstDifference(siluMulF32(gate, up, new Float32Array(n)), siluMulF32Reference(gate, up, new Float32Array(n)))).toBe(-1);
  });

  it("gives known values, and the CPU tensor ops' bits", () => {
    const got = siluMulF32(Float32Array.of(-1, 0, 2, -0, 100, -100, Number.NaN), new Float32Array(7).fill(1), new Float32Array(7));
    expect(Array.from(got.subarray(0, 3))).toEqual([Math.fround(-1 / (1 + Math.fround(Math.E))), 0, Math.fround(2 / Math.fround(1 + Math.fround(Math.exp(-2))))]);
    expect(Object.is(got[3], -0)).toBe(true);
    expect(got[4]).toBe(100); // e^-100 rounds to 0 in float32 after the + 1
    expect(Object.is(got[5], -0)).toBe(true); // e^100 overflows float32: -100 / Infinity
    expect(got[6]).toBeNaN();
    const g = Float32Array.from({ length: 37 }, (_, i) => (i - 18) * 0.731);
    const u = Float32Array.from({ length: 37 }, (_, i) => 1 - i / 20);
    const ops = mul(div(tensor(g), add(exp(neg(tensor(g))), 1)), tensor(u)).dataSync() as Float32Array;
    expect(firstDifference(siluMulF32(g, u, new Float32Array(37)), ops)).toBe(-1);
  });

  it("rejects arrays of different lengths", () => {
    expect(() => siluMulF32(new Float32Array(3), new Float32Array(2), new Float32Array(3))).toThrow(ArgumentError);
    expect(() => siluMulF32Reference(new Float32Array(3), new Float32Array(3), new Float32Array(4))).toThrow(/one length/);
  });
});
