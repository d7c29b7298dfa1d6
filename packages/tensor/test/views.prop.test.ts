// View ops: reshape keeps row-major order, permute matches an index loop,
// expand/slice/narrow/squeeze/unsqueeze and their errors; views share storage.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, arange, randn, tensor, zeros } from "@bitnet-quantize/tensor";
import { shapeArb, tensorOfShapeArb } from "@bitnet-quantize/tensor/testing";
import { naivePermute, size } from "./naive.js";

const SEED = 7;

describe("reshape", () => {
  it("preserves row-major order from any view, copying only when needed", () => {
    fc.assert(
      fc.property(
        shapeArb({ minDims: 1, maxDims: 4 }).chain((s) => fc.tuple(tensorOfShapeArb(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }))),
        ([t, perm]) => {
          const p = t.permute(perm);
          const expected = naivePermute(t.dataSync(), t.shape, perm);
          expect(Array.from(p.dataSync())).toEqual(Array.from(Float32Array.from(expected)));
          const flat = p.reshape([-1]);
          expect(Array.from(flat.dataSync())).toEqual(Array.from(p.dataSync()));
          const back = flat.reshape(p.shape);
          expect(back.shape).toEqual(p.shape);
          expect(Array.from(back.dataSync())).toEqual(Array.from(p.dataSync()));
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("is a view (shares storage) for contiguous input and splits or merges dims", () => {
    const t = arange(24).reshape([2, 3, 4]);
    expect(t.reshape([6, 4]).storage).toBe(t.storage);
    expect(t.reshape([2, 3, 2, 2]).storage).toBe(t.storage);
    const tr = t.transpose(0, 1); // [3, 2, 4], last dim still contiguous
    expect(tr.reshape([3, 2, 2, 2]).storage).toBe(t.storage);
    expect(tr.reshape([3, 8]).storage).not.toBe(t.storage); // strides [12, 1] cannot merge: a copy
    expect(tr.reshape([3, 8]).toArray()).toEqual(tr.contiguous().reshape([3, 8]).toArray());
    expect(t.permute([0, 2, 1]).unsqueeze(0).reshape([2, 4, 3]).storage).toBe(t.storage);
    expect(() => t.reshape([5, -1])).toThrow(ShapeError);
    expect(() => t.reshape([-1, -1])).toThrow(/only one dimension/);
    expect(t.flatten(1).shape).toEqual([2, 12]);
    expect(zeros([0, 3]).reshape([3, 0]).shape).toEqual([3, 0]);
  });
});

describe("other views", () => {
  it("transpose, expand, narrow, slice, squeeze, unsqueeze", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.transpose().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(tensor([1, 2]).expand([2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(tensor([[1], [2]]).expand([-1, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(() => tensor([1, 2]).expand([3])).toThrow(ShapeError);
    expect(x.narrow(1, 1, 2).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(() => x.narrow(1, 2, 2)).toThrow(ArgumentError);
    expect(arange(10).slice(0, -4).toArray()).toEqual([6, 7, 8, 9]);
    expect(arange(10).slice(0, 1, 8, 3).toArray()).toEqual([1, 4, 7]);
    expect(arange(10).slice(0, 8, 2).toArray()).toEqual([]);
    expect(x.slice(1, 0, undefined, 2).toArray()).toEqual([[1, 3], [4, 6]]);
    expect(zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(zeros([1, 3, 1]).squeeze(0).shape).toEqual([3, 1]);
    expect(zeros([2, 3]).squeeze(0).shape).toEqual([2, 3]);
    expect(zeros([3]).unsqueeze(-1).shape).toEqual([3, 1]);
    expect(x.unsqueeze(1).toArray()).toEqual([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(() => x.permute([0, 0])).toThrow(/not a permutation/);
    expect(() => x.sum(2)).toThrow(/axis 2 is out of range/);
  });

  it("contiguous() of every view kind equals its element-wise read", () => {
    const t = randn([3, 4, 5], { seed: 3 });
    const v = t.permute([2, 0, 1]).slice(0, 1, 5, 2).narrow(2, 1, 2);
    const c = v.contiguous();
    expect(c.isContiguous()).toBe(true);
    const src = t.dataSync();
    const got = c.dataSync();
    let p = 0;
    for (const i2 of [1, 3]) for (let i0 = 0; i0 < 3; i0++) for (const i1 of [1, 2]) expect(got[p++]).toBe(src[i0 * 20 + i1 * 5 + i2]);
    expect(p).toBe(size(c.shape));
  });

  it("dispose frees and later use throws", () => {
    const t = zeros([2]);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(/disposed/);
  });
});
