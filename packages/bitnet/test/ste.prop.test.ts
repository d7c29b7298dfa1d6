// The straight-through estimators, tested three ways: backward is the
// identity; forward equals the quantizer bit for bit; gradients equal those of
// the `x + detach(q(x) - x)` form.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Var, add, mul, param, sub } from "@bitnet-quantize/autograd";
import { randn } from "@bitnet-quantize/tensor";
import { findMismatch } from "@bitnet-quantize/tensor/testing";
import { absMaxInt8, absMeanTernary, dequantizeInt8, dequantizeTernary, int8STE, ternarySTE } from "@bitnet-quantize/bitnet";

const SEED = 2310;
const shapes = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.integer());

describe("straight-through estimators", () => {
  const cases = [
    {
      name: "ternarySTE",
      ste: (x: Var) => ternarySTE(x, { groupSize: "row" }),
      q: (x: Var) => dequantizeTernary(absMeanTernary(x.value, { groupSize: "row" })),
    },
    {
      name: "int8STE",
      ste: (x: Var) => int8STE(x, { bits: 8 }),
      q: (x: Var) => dequantizeInt8(absMaxInt8(x.value, { bits: 8 })),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: forward is the quantizer bit for bit; backward is the identity; grads equal the detach form`, () => {
      fc.assert(
        fc.property(shapes, ([rows, cols, seed]) => {
          const x = param(randn([rows, cols], { seed }));
          const g = randn([rows, cols], { seed: seed + 1 });
          const y = c.ste(x);
          expect(Array.from(y.value.dataSync())).toEqual(Array.from(c.q(x).cast("float32").dataSync()));
          // backward of sum(y * g) is g when the STE is the identity
          mul(y, g).sum().backward();
          expect(Array.from((x.grad ?? g.mul(0)).dataSync())).toEqual(Array.from(g.dataSync()));
          // the detach form
          const x2 = param(x.value);
          const y2 = add(x2, sub(c.q(x2), x2).detach());
          expect(findMismatch(y2.value, y.value, { atol: 1e-6, rtol: 1e-6 })).toBeUndefined();
          mul(y2, g).sum().backward();
          expect(Array.from((x2.grad ?? g.mul(0)).dataSync())).toEqual(Array.from((x.grad ?? g).dataSync()));
        }),
        { seed: SEED, numRuns: 60 },
      );
    });
  }
});
