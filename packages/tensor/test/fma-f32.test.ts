// fmaF32 (a·b + c rounded once to float32, as C's fmaf) against its exact
// BigInt reference twin: random float32 triples, sums near float32
// midpoints, and the edges (infinities, NaN, signed zeros, overflow).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fmaF32, fmaF32Reference } from "@bitnet-quantize/tensor";

const f32 = Math.fround;

/** Float32 values of every size, zeros of both signs, subnormals. */
const float32 = fc.oneof(
  fc.float({ min: -8, max: 8, noNaN: true }),
  fc.float({ noNaN: true, noDefaultInfinity: true }),
  // the edges as float32 values (fmaF32 takes float32 inputs; a double such as 3e38 itself has too many bits for an exact product)
  fc.constantFrom(0, -0, 1e-38, -3e-39, 1.4e-45, 3e38).map(f32),
);

describe("fmaF32: a·b + c rounded once to float32", () => {
  it("equals the exact BigInt reference on random float32 triples", () => {
    fc.assert(fc.property(float32, float32, float32, (a, b, c) => Object.is(fmaF32(a, b, c), fmaF32Reference(a, b, c))), { numRuns: 3000 });
  });

  it("near float32 midpoints, where rounding a·b first or rounding a·b + c to a double first would go wrong", () => {
    // a·b = 1 − 2^-46 exactly: f32(a·b) = 1, so a separate multiply and add loses the −2^-46
    expect(fmaF32(1 + 2 ** -23, 1 - 2 ** -23, -1)).toBe(-(2 ** -46));
    // p + c lands on a float32 midpoint only after rounding to a double: the lost remainder decides
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 23 - 1 }), fc.integer({ min: -40, max: 40 }), fc.constantFrom(1, -1), (m, e, sign) => {
        const a = f32((1 + m / 2 ** 23) * 2 ** e);
        const b = f32(1 + 2 ** -23);
        const c = f32(sign * 2 ** (e + 30));
        return Object.is(fmaF32(a, b, c), fmaF32Reference(a, b, c));
      }),
    );
  });

  it("keeps infinities, NaN and the sign of an exact zero", () => {
    expect(fmaF32(Infinity, 1, 1)).toBe(Infinity);
    expect(fmaF32(NaN, 1, 1)).toBeNaN();
    expect(Object.is(fmaF32(-0, 1, -0), -0)).toBe(true);
    expect(Object.is(fmaF32(1, 1, -1), 0)).toBe(true);
    // at the overflow threshold the remainder decides (a counterexample fast-check found once)
    expect(fmaF32(-383485751590912, 8.873403434707308e23, 1.401298464324817e-45)).toBe(fmaF32Reference(-383485751590912, 8.873403434707308e23, 1.401298464324817e-45));
    // a·b = 3.0000001 (f32(3e38)·f32(1e-38)) plus a float32 near 0.5: the edge constants as float32 values
    const [a, b, c] = [f32(3e38), f32(1e-38), f32(0.5000191926956177)];
    expect(fmaF32(a, b, c)).toBe(fmaF32Reference(a, b, c));
  });
});
