// The one RMSNorm: the functional rmsNorm against a plain loop, the RMSNorm
// module as that function with its weight, and gradients by gradcheck.
import { describe, expect, it } from "vitest";
import { AutogradError, Var, param } from "@bitnet-quantize/autograd";
import { RMSNorm, rmsNorm } from "@bitnet-quantize/autograd/nn";
import { gradcheck } from "@bitnet-quantize/autograd/testing";
import { tensor } from "@bitnet-quantize/tensor";

/** x / √(mean(x²) + eps) per row, in float64. */
function plainRmsNorm(rows: number[][], eps: number): number[][] {
  return rows.map((r) => {
    const ms = r.reduce((s, v) => s + v * v, 0) / r.length;
    return r.map((v) => v / Math.sqrt(ms + eps));
  });
}

describe("rmsNorm", () => {
  const rows = [[3, 4, -1], [0.5, -2, 7]];

  it("matches a plain loop over the last axis (float64)", () => {
    const y = rmsNorm(new Var(tensor(rows, undefined, "float64")), 3, { eps: 1e-6 }).toArray() as number[][];
    const want = plainRmsNorm(rows, 1e-6);
    y.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]?.[j], 14)));
  });

  it("is what the RMSNorm module computes, weight included", () => {
    const m = new RMSNorm(3, { eps: 1e-5, dtype: "float64" });
    m.weight = param(tensor([1, 2, 0.5], undefined, "float64"));
    const x = new Var(tensor(rows, undefined, "float64"));
    expect(m.forward(x).toArray()).toEqual(rmsNorm(x, [3], { eps: 1e-5, weight: m.weight }).toArray());
  });

  it("passes gradcheck and names a wrong trailing shape", () => {
    const x = tensor(rows, undefined, "float64");
    expect(gradcheck((v) => rmsNorm(v, 3, { eps: 1e-3 }), [x]).ok).toBe(true);
    expect(() => rmsNorm(new Var(x), 4)).toThrow(AutogradError);
  });
});
