// GELU and erf are float64-exact on float64 tensors (issue 16): values and
// gradients against references computed independently with CPython 3
// (glibc libm, under 1 ulp):
//   gelu(x)  = x/2·erfc(-x/√2)              python3: x*0.5*math.erfc(-x/math.sqrt(2))
//   gelu'(x) = erfc(-x/√2)/2 + x·φ(x)       python3: 0.5*math.erfc(-x/math.sqrt(2)) + x*math.exp(-x*x/2)/math.sqrt(2*math.pi)
// GELU is computed as x/2·(1 + erf(x/√2)), as PyTorch does; below x = -1 the
// sum 1 + erf cancels (at x = -3 it keeps about 14 digits), so the points here
// stay at x >= -1, where the formula itself is good to 1e-15.
import { describe, expect, it } from "vitest";
import { tensor } from "@bitnet-quantize/tensor";
import { Var, erf, param } from "@bitnet-quantize/autograd";
import { gelu } from "@bitnet-quantize/autograd/nn";

/** [x, gelu(x), gelu'(x)] from CPython 3 (see the header). */
const GELU: readonly (readonly [number, number, number])[] = [
  [-1.0, -0.15865525393145707, -0.08331547058768629],
  [-0.5, -0.15426876936299344, 0.13250487534383712],
  [-0.1, -0.0460172162722971, 0.4204769079752698],
  [0.1, 0.053982783727702904, 0.5795230920247302],
  [0.5, 0.34573123063700656, 0.8674951246561629],
  [1.0, 0.8413447460685429, 1.0833154705876864],
  [1.5, 1.399789198096713, 1.1274691922299795],
  [2.0, 1.9544997361036416, 1.085231801078197],
  [3.0, 2.99595030590511, 1.011945647204184],
  [5.0, 4.99999856674214, 1.0000071469460017],
];

/** [x, erf(x)] from CPython 3's math.erf. */
const ERF: readonly (readonly [number, number])[] = [
  [0.5, 0.5204998778130465],
  [1.0, 0.8427007929497149],
  [2.0, 0.9953222650189527],
  [-1.0, -0.8427007929497149],
  [3.0, 0.9999779095030014],
];

const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe("float64 GELU and erf", () => {
  it("gelu values and gradients match the float64 references to 1e-15 relative", () => {
    const x = param(tensor(GELU.map((r) => r[0]), undefined, "float64"));
    const y = gelu(x);
    y.sum().backward();
    const values = y.toArray() as number[];
    const grads = x.grad?.toArray() as number[];
    GELU.forEach(([, v, g], i) => {
      expect(rel(values[i], v)).toBeLessThanOrEqual(1e-15);
      expect(rel(grads[i], g)).toBeLessThanOrEqual(1e-15);
    });
  });

  it("erf values match the float64 references to 1e-15 relative", () => {
    const got = erf(new Var(tensor(ERF.map((r) => r[0]), undefined, "float64"))).toArray() as number[];
    ERF.forEach(([, v], i) => expect(rel(got[i], v)).toBeLessThanOrEqual(1e-15));
  });
});
