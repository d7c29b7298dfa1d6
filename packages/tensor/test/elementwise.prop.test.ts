// Elementwise ops against plain loops, with broadcasting and strided views.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Tensor, ShapeError, add, div, eq, maximum, minimum, mul, pow, sub, tensor, where, lt, ge, clamp,
  abs, exp, log, neg, relu, sigmoid, sign, sqrt, tanh, sin, cos, rsqrt, round, floor, ceil, roundHalfEven,
} from "@bitnet-quantize/tensor";
import { broadcastPairArb, findMismatch, tensorOfShapeArb } from "@bitnet-quantize/tensor/testing";
import { naiveBinary, naiveBroadcastShape } from "./naive.js";

const SEED = 20261126;
const f32 = Math.fround;

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ["add", add, (x, y) => f32(x + y)],
  ["sub", sub, (x, y) => f32(x - y)],
  ["mul", mul, (x, y) => f32(x * y)],
  ["div", div, (x, y) => f32(x / y)],
  ["maximum", maximum, (x, y) => Math.max(x, y)],
  ["minimum", minimum, (x, y) => Math.min(x, y)],
  ["eq", eq, (x, y) => (x === y ? 1 : 0)],
  ["lt", lt, (x, y) => (x < y ? 1 : 0)],
  ["ge", ge, (x, y) => (x >= y ? 1 : 0)],
];

describe("binary ops broadcast like NumPy", () => {
  for (const [name, op, ref] of BINARY) {
    it(`${name} matches a plain loop on broadcast pairs and views`, () => {
      fc.assert(
        fc.property(
          broadcastPairArb({ maxDims: 3, maxSize: 4 }).chain(([sa, sb]) => fc.tuple(tensorOfShapeArb(sa), tensorOfShapeArb(sb))),
          ([a, b]) => {
            const expected = naiveBinary(a.dataSync(), a.shape, b.dataSync(), b.shape, ref);
            const got = op(a, b);
            expect(got.shape).toEqual(expected.shape);
            const m = findMismatch(got.dataSync(), expected.data, { rtol: 0, atol: 0, equalNan: true });
            expect(m).toBeUndefined();
          },
        ),
        { seed: SEED, numRuns: 60 },
      );
    });
  }

  it("broadcasting is commutative in shape and rejects incompatible shapes", () => {
    fc.assert(
      fc.property(broadcastPairArb(), ([sa, sb]) => {
        const a = tensor(new Float32Array(sa.reduce((p, d) => p * d, 1)), sa);
        const b = tensor(new Float32Array(sb.reduce((p, d) => p * d, 1)), sb);
        expect(add(a, b).shape).toEqual(add(b, a).shape);
        expect(add(a, b).shape).toEqual(naiveBroadcastShape(sa, sb));
      }),
      { seed: SEED, numRuns: 100 },
    );
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(ShapeError);
    expect(() => add(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(/add: shapes \[1,3\] and \[2\]/);
  });
});

const UNARY: [string, (x: Tensor) => Tensor, (v: number) => number, [number, number]][] = [
  ["neg", neg, (v) => -v, [-5, 5]],
  ["abs", abs, Math.abs, [-5, 5]],
  ["sign", sign, Math.sign, [-5, 5]],
  ["exp", exp, (v) => f32(Math.exp(v)), [-5, 5]],
  ["log", log, (v) => f32(Math.log(v)), [0.01, 10]],
  ["sqrt", sqrt, (v) => f32(Math.sqrt(v)), [0, 10]],
  ["rsqrt", rsqrt, (v) => f32(1 / Math.sqrt(v)), [0.01, 10]],
  ["sin", sin, (v) => f32(Math.sin(v)), [-5, 5]],
  ["cos", cos, (v) => f32(Math.cos(v)), [-5, 5]],
  ["tanh", tanh, (v) => f32(Math.tanh(v)), [-5, 5]],
  ["sigmoid", sigmoid, (v) => f32(1 / (1 + Math.exp(-v))), [-20, 20]],
  ["relu", relu, (v) => (v > 0 ? v : 0), [-5, 5]],
  ["round", round, roundHalfEven, [-5, 5]],
  ["floor", floor, Math.floor, [-5, 5]],
  ["ceil", ceil, Math.ceil, [-5, 5]],
];

describe("unary ops", () => {
  for (const [name, op, ref, [lo, hi]] of UNARY) {
    it(`${name} matches Math on strided views`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((s) => tensorOfShapeArb(s, { range: 1 })),
          (t0) => {
            // map [-1, 1] data into the op's domain, keeping the view's strides
            const t = add(mul(t0, (hi - lo) / 2), (hi + lo) / 2);
            const x = t.dataSync();
            const expected = Float64Array.from(x, ref);
            expect(findMismatch(op(t).dataSync(), expected, { rtol: 2e-7, atol: 1e-7 })).toBeUndefined();
          },
        ),
        { seed: SEED, numRuns: 40 },
      );
    });
  }

  it("round is half-to-even, sign keeps zero, relu keeps NaN", () => {
    expect(round(tensor([0.5, 1.5, 2.5, -0.5, -1.5])).toArray()).toEqual([0, 2, 2, -0, -2]);
    expect(sign(tensor([-0, 0, 3, -3])).toArray()).toEqual([-0, 0, 1, -1]);
    expect(Number.isNaN(relu(tensor([NaN])).item())).toBe(true);
    expect(sigmoid(tensor([-1000, 1000])).toArray()).toEqual([0, 1]);
  });
});

describe("dtype promotion and special cases", () => {
  it("promotes like PyTorch", () => {
    const i = tensor([1, 2, 3], undefined, "int32");
    expect(add(i, 1).dtype).toBe("int32");
    expect(add(i, 0.5).dtype).toBe("float32");
    expect(div(i, 2).dtype).toBe("float32");
    expect(div(i, 2).toArray()).toEqual([0.5, 1, 1.5]);
    expect(add(i, tensor([1], undefined, "float64")).dtype).toBe("float64");
    expect(add(tensor([1], undefined, "int8"), tensor([1], undefined, "uint8")).dtype).toBe("int32");
    expect(exp(i).dtype).toBe("float32");
    expect(pow(tensor([2, 3]), 2).toArray()).toEqual([4, 9]);
    expect(eq(i, 2).dtype).toBe("uint8");
  });

  it("maximum and minimum propagate NaN", () => {
    expect(Number.isNaN(maximum(tensor([NaN]), tensor([1])).item())).toBe(true);
    expect(Number.isNaN(minimum(tensor([1]), tensor([NaN])).item())).toBe(true);
  });

  it("where broadcasts condition and both branches", () => {
    const c = tensor([[1], [0]], undefined, "uint8");
    expect(where(c, tensor([1, 2, 3]), -1).toArray()).toEqual([[1, 2, 3], [-1, -1, -1]]);
    expect(where(tensor([2, 0]), 1, 0).toArray()).toEqual([1, 0]);
  });

  it("clamp takes either bound", () => {
    expect(clamp(tensor([-2, 0, 2]), -1, 1).toArray()).toEqual([-1, 0, 1]);
    expect(clamp(tensor([-2, 0, 2]), undefined, 1).toArray()).toEqual([-2, 0, 1]);
    expect(() => clamp(tensor([1]))).toThrow(/at least one/);
  });
});
