// The loss chart: the smoothing is a bias-corrected EMA, and the SVG has one
// path per curve and a dot per validation point.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lossChartSvg, smooth } from "../src/loss-chart.js";

describe("loss chart", () => {
  it("smooth keeps a constant curve constant and stays within the range of the losses", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 0.99, noNaN: true }), (ls, keep) => {
        const s = smooth(ls.map((loss, step) => ({ step, loss })), keep).map((p) => p.loss);
        const lo = Math.min(...ls);
        const hi = Math.max(...ls);
        return s.every((v) => v >= lo - 1e-9 && v <= hi + 1e-9) && Math.abs(s[0] - ls[0]) < 1e-9;
      }),
    );
    for (const v of smooth([3, 3, 3].map((loss, step) => ({ step, loss })))) expect(v.loss).toBeCloseTo(3, 12);
  });
  it("draws both curves", () => {
    const svg = lossChartSvg([{ step: 1, loss: 5 }, { step: 2, loss: 4 }], [{ step: 2, loss: 4.2 }], 600, 240);
    expect(svg.match(/<path /g)?.length).toBe(3);
    expect(svg.match(/<circle /g)?.length).toBe(1);
    expect(lossChartSvg([], [], 600, 240)).toContain("appears when training starts");
  });
});
