// Every op in the OPS table passes gradcheck on random shapes, broadcast
// pairs, strided views and values away from kinks (fast-check, fixed seed),
// and no exported op is missing from the table.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as autograd from "@bitnet-quantize/autograd";
import { isOp } from "@bitnet-quantize/autograd";
import { type CoveredOp, type Draw, OPS, gradcheck } from "@bitnet-quantize/autograd/testing";

const SEED = 20261126;

/** A Draw whose choices come from fast-check, so failing cases shrink. */
function fastCheckDraw(g: fc.GeneratorValue): Draw {
  return {
    integer: (min, max) => g(fc.integer, { min, max }),
    float: (min, max) => g(fc.double, { min, max, noNaN: true, noDefaultInfinity: true }),
  };
}

describe("OPS table", () => {
  it("covers every op the package exports", () => {
    const exported = Object.entries(autograd).filter(([, v]) => isOp(v));
    expect(exported.length).toBeGreaterThan(40);
    const covered = new Set(OPS.flatMap((e) => e.covers));
    const missing = exported.filter(([, v]) => !covered.has(v as CoveredOp)).map(([k]) => k);
    expect(missing).toEqual([]);
  });
});

describe("gradcheck passes for every op", () => {
  for (const entry of OPS) {
    it(entry.name, () => {
      fc.assert(
        fc.property(fc.gen(), (g) => {
          const c = entry.sample(fastCheckDraw(g));
          const report = gradcheck(c.fn, c.inputs);
          expect(report.ok).toBe(true);
        }),
        { seed: SEED, numRuns: 20 },
      );
    });
  }
});
