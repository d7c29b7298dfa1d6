// gather/indexSelect/scatterAdd/oneHot and concat/stack/split against loops.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ArgumentError, DTypeError, ShapeError, arange, chunk, concat, gather, indexSelect, logSoftmax, oneHot, randint, randn,
  scatterAdd, softmax, split, stack, tensor,
} from "@bitnet-quantize/tensor";
import { findMismatch, tensorOfShapeArb } from "@bitnet-quantize/tensor/testing";
import type { Tensor } from "@bitnet-quantize/tensor";
import { ravel, size, unravel } from "./naive.js";

const SEED = 31;

describe("gather and scatterAdd", () => {
  it("gather matches the index definition and scatterAdd is its adjoint", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
          fc.tuple(fc.constant(shape), fc.nat({ max: shape.length - 1 }), fc.integer({ min: 1, max: 5 }), fc.integer()),
        ),
        ([shape, axis, n, seed]) => {
          const x = randn(shape, { seed });
          const idxShape = shape.map((d, i) => (i === axis ? n : d));
          const index = randint(0, shape[axis], idxShape, { seed: seed + 1 });
          const got = gather(x, axis, index).dataSync();
          const xd = x.dataSync();
          const id = index.dataSync();
          for (let p = 0; p < size(idxShape); p++) {
            const c = unravel(p, idxShape);
            c[axis] = id[p];
            expect(got[p]).toBe(xd[ravel(c, shape)]);
          }
          // <gather(x), g> == <x, scatterAdd(g)>
          const g = randn(idxShape, { seed: seed + 2, dtype: "float64" });
          const lhs = gather(x.cast("float64"), axis, index).mul(g).sum().item();
          const rhs = scatterAdd(shape, axis, index, g).mul(x.cast("float64")).sum().item();
          expect(lhs).toBeCloseTo(rhs, 9);
        },
      ),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("indexSelect picks rows, checks ranges and dtypes", () => {
    const emb = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(indexSelect(emb, 0, tensor([2, 0, 2], undefined, "int32")).toArray()).toEqual([[5, 6], [1, 2], [5, 6]]);
    expect(indexSelect(emb, 1, tensor([1], undefined, "int32")).toArray()).toEqual([[2], [4], [6]]);
    expect(() => indexSelect(emb, 0, tensor([3], undefined, "int32"))).toThrow(ArgumentError);
    expect(() => indexSelect(emb, 0, tensor([0.5]))).toThrow(DTypeError);
    expect(() => gather(emb, 0, tensor([0], undefined, "int32"))).toThrow(ShapeError);
    expect(scatterAdd([3], 0, tensor([0, 2, 0], undefined, "int32"), tensor([1, 2, 3])).toArray()).toEqual([4, 0, 2]);
  });

  it("oneHot", () => {
    expect(oneHot(tensor([0, 2], undefined, "int32"), 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(oneHot(tensor([[1]], undefined, "int32"), 2, "int32").dtype).toBe("int32");
    expect(() => oneHot(tensor([3], undefined, "int32"), 3)).toThrow(/index 3 at position 0/);
  });
});

describe("index and join ops on strided views", () => {
  it("give the same result as on contiguous copies (gather, indexSelect, scatterAdd, concat, stack, oneHot)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 }).chain((s) => fc.tuple(tensorOfShapeArb(s), tensorOfShapeArb(s), fc.integer())), ([a, b, seed]) => {
        const same = (x: Tensor, y: Tensor): void => {
          expect(x.shape).toEqual(y.shape);
          expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
        };
        const ac = a.contiguous();
        const bc = b.contiguous();
        same(concat([a, b], 1), concat([ac, bc], 1));
        same(stack([a, b], 0), stack([ac, bc], 0));
        const idx = randint(0, a.shape[0], a.shape, { seed });
        same(gather(a, 0, idx), gather(ac, 0, idx));
        const rows = randint(0, a.shape[1], [5], { seed: seed + 1 });
        same(indexSelect(a, 1, rows), indexSelect(ac, 1, rows));
        same(scatterAdd([...a.shape], 0, idx, b), scatterAdd([...a.shape], 0, idx, bc));
        const strided = randint(0, 3, [4, 6], { seed: seed + 2 }).slice(1, 0, undefined, 2);
        same(oneHot(strided, 3), oneHot(strided.contiguous(), 3));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe("softmax", () => {
  it("matches a float64 reference and is stable for large inputs", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }).chain((s) => tensorOfShapeArb(s, { range: 50 })), (t) => {
        const last = t.shape[t.ndim - 1];
        const x = t.dataSync();
        const ref = new Float64Array(x.length);
        const lref = new Float64Array(x.length);
        for (let r = 0; r < x.length / last; r++) {
          let m = -Infinity;
          for (let j = 0; j < last; j++) m = Math.max(m, x[r * last + j]);
          let s = 0;
          for (let j = 0; j < last; j++) s += Math.exp(x[r * last + j] - m);
          for (let j = 0; j < last; j++) {
            ref[r * last + j] = Math.exp(x[r * last + j] - m) / s;
            lref[r * last + j] = x[r * last + j] - m - Math.log(s);
          }
        }
        expect(findMismatch(softmax(t).dataSync(), ref, { rtol: 1e-5, atol: 1e-6 })).toBeUndefined();
        expect(findMismatch(logSoftmax(t).dataSync(), lref, { rtol: 1e-5, atol: 1e-4 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 60 },
    );
    expect(softmax(tensor([1000, 1000, -1000])).toArray()).toEqual([0.5, 0.5, 0]);
  });
});

describe("concat, stack, split", () => {
  it("concat then split is the identity on any axis", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((s) =>
          fc.tuple(fc.constant(s), fc.nat({ max: s.length - 1 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 })),
        ),
        ([shape, axis, sizes]) => {
          const parts = sizes.map((n, i) => randn(shape.map((d, j) => (j === axis ? n : d)), { seed: i }));
          const joined = concat(parts, axis);
          expect(joined.shape[axis]).toBe(sizes.reduce((a, b) => a + b, 0));
          const back = split(joined, sizes, axis);
          back.forEach((b, i) => expect(Array.from(b.dataSync())).toEqual(Array.from((parts[i] as typeof b).dataSync())));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("stack, chunk and errors", () => {
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(chunk(arange(5), 2).map((t) => t.toArray())).toEqual([[0, 1, 2], [3, 4]]);
    expect(concat([tensor([1], undefined, "int32"), tensor([0.5])]).dtype).toBe("float32");
    expect(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])], 0)).toThrow(ShapeError);
    expect(() => split(arange(5), [2, 2])).toThrow(/do not add up/);
    expect(() => stack([])).toThrow(ArgumentError);
  });
});
