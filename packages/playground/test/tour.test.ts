// The guided tour's numbers agree with each other: the step-by-step integer
// path, BitLinear.forward and the packed kernel give one output, and the
// autograd gradients are the straight-through ones.
import { describe, expect, it } from "vitest";
import { maxDiff, tourData } from "../src/tour.js";

describe("tourData", () => {
  const d = tourData();
  it("quantizes as the paper says: ternary codes, int8 codes, integer accumulators", () => {
    expect(d.wCodes.flat().every((c) => c === -1 || c === 0 || c === 1)).toBe(true);
    expect(d.xCodes.flat().every((c) => Number.isInteger(c) && c >= -128 && c <= 127)).toBe(true);
    expect(d.acc.flat().every((v) => Number.isInteger(v))).toBe(true);
    const meanAbs = d.w.flat().reduce((s, v) => s + Math.abs(v), 0) / d.w.flat().length;
    expect(d.wScale).toBeCloseTo(meanAbs, 6);
    d.x.forEach((r, i) => expect(d.xScales[i]).toBeCloseTo(127 / Math.max(...r.map(Math.abs)), 4));
  });
  it("the rescaled integer product is BitLinear's output and the packed kernel's", () => {
    expect(maxDiff(d.y, d.yBitLinear)).toBeLessThan(1e-5);
    expect(maxDiff(d.y, d.yPacked)).toBeLessThan(1e-5);
  });
  it("the gradients are the straight-through ones", () => {
    expect(maxDiff(d.gradW, d.gradWSte)).toBeLessThan(1e-5);
    expect(maxDiff(d.gradX, d.gradXSte)).toBeLessThan(1e-5);
  });
});
