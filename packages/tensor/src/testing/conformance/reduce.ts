// Conformance cases: reductions, variance and softmax.
import { tensor } from "../../creation.js";
import { argmax, argmin, max, mean, min, prod, sum, variance } from "../../ops/reduce.js";
import { REDUCE_OPS, REDUCE_OP_NAMES, type ReduceOpInfo } from "../../ops/reduce-ops.js";
import { logSoftmax, softmax } from "../../ops/softmax.js";
import type { ReduceOp } from "../../backend.js";
import type { Tensor } from "../../tensor.js";
import { values, ints, stridesOf, forEachIndex, expectData, TRANSCENDENTAL, caseAdder } from "./support.js";
import type { ConformanceCase } from "./types.js";

/**
 * Reductions, variance and softmax.
 *
 * @example
 * ```ts
 * for (const c of reduceCases()) await c.run(cpuBackend());
 * ```
 */
export function reduceCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // reductions
  function refReduce(data: readonly number[], shape: readonly number[], axes: readonly number[], init: number, f: (acc: number, v: number) => number): number[] {
    const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const keptStrides = stridesOf(kept);
    const out = new Array<number>(kept.reduce((a, c) => a * c, 1)).fill(init);
    forEachIndex(shape, (idx, flat) => {
      let o = 0;
      idx.forEach((c, d) => {
        if (!axes.includes(d)) o += c * (keptStrides[d]);
      });
      out[o] = f(out[o], data[flat]);
    });
    return out;
  }
  const nanMax = (a: number, v: number): number => (Number.isNaN(a) || Number.isNaN(v) ? NaN : Math.max(a, v));
  const nanMin = (a: number, v: number): number => (Number.isNaN(a) || Number.isNaN(v) ? NaN : Math.min(a, v));
  for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]] as const) {
    add1(`reduce/sum-prod-max-min-axes-${axes.join("")}`, async (b) => {
      const shape = [3, 4, 5];
      const data = values(60, 21 + axes.length, 0.5, 1.5);
      const x = tensor(data, shape, "float32", b);
      const outShape = shape.filter((_, d) => !(axes as readonly number[]).includes(d));
      const ax = [...axes];
      await expectData("reduce/sum", sum(x, ax), outShape, "float32", refReduce(data, shape, ax, 0, (a, v) => a + v), { rtol: 1e-5 });
      await expectData("reduce/prod", prod(x, ax), outShape, "float32", refReduce(data, shape, ax, 1, (a, v) => a * v), { rtol: 1e-4 });
      await expectData("reduce/max", max(x, ax), outShape, "float32", refReduce(data, shape, ax, -Infinity, nanMax));
      await expectData("reduce/min", min(x, ax), outShape, "float32", refReduce(data, shape, ax, Infinity, nanMin));
      await expectData("reduce/mean", mean(x, ax), outShape, "float32", refReduce(data, shape, ax, 0, (a, v) => a + v).map((s) => s / (60 / outShape.reduce((p, q) => p * q, 1))), { rtol: 1e-5 });
    });
  }
  add1("reduce/strided-input-and-keepdims", async (b) => {
    const data = values(20, 31);
    const x = tensor(data, [4, 5], "float32", b).transpose(); // [5, 4]
    const expected = [0, 1, 2, 3].map((i) => [0, 1, 2, 3, 4].reduce((s, j) => s + (data[i * 5 + j]), 0));
    await expectData("reduce/strided", sum(x, 0, { keepDims: true }), [1, 4], "float32", expected, { rtol: 1e-5, atol: 1e-6 });
  });
  add1("reduce/long-rows", async (b) => {
    const n = 3000;
    const data = values(2 * n, 41);
    const x = tensor(data, [2, n], "float32", b);
    const rows = [0, 1].map((r) => data.slice(r * n, (r + 1) * n));
    const absSum = rows.map((r) => r.reduce((s, v) => s + Math.abs(v), 0));
    await expectData("reduce/long-sum", sum(x, 1), [2], "float32", rows.map((r) => r.reduce((s, v) => s + v, 0)), { atolEach: absSum.map((s) => s * 1e-6) });
    await expectData("reduce/long-max", max(x, 1), [2], "float32", rows.map((r) => Math.max(...r)));
    await expectData("reduce/long-argmin", argmin(x, 1), [2], "int32", rows.map((r) => r.indexOf(Math.min(...r))));
    await expectData("reduce/long-sum-all", sum(x), [], "float32", [data.reduce((s, v) => s + v, 0)], { atol: absSum[0] * 2e-6 + absSum[1] * 2e-6 });
  });
  add1("reduce/nan-propagates-in-max-min", async (b) => {
    const x = tensor([1, NaN, 3, 4, 5, 6], [2, 3], "float32", b);
    await expectData("reduce/max-nan", max(x, 1), [2], "float32", [NaN, 6]);
    await expectData("reduce/min-nan", min(x, 1), [2], "float32", [NaN, 4]);
    const long = values(500, 3);
    long[321] = NaN;
    await expectData("reduce/max-nan-long", max(tensor(long, [500], "float32", b)), [], "float32", [NaN]);
  });
  add1("reduce/argmax-argmin-first-extreme-and-nan", async (b) => {
    const x = tensor([3, 1, 3, 1, 2, NaN, 7, NaN], [2, 4], "float32", b);
    await expectData("reduce/argmax", argmax(x, 1), [2], "int32", [0, 1]);
    await expectData("reduce/argmin", argmin(x, 1), [2], "int32", [1, 1]);
    await expectData("reduce/argmax-axis0", argmax(x, 0), [4], "int32", [0, 1, 1, 1]);
    await expectData("reduce/argmax-all", argmax(tensor([1, 5, 5, 0], [2, 2], "float32", b)), [], "int32", [1]);
    const ties = new Array<number>(300).fill(2);
    ties[250] = 1;
    await expectData("reduce/argmax-long-ties", argmax(tensor(ties, [300], "float32", b)), [], "int32", [0]);
    await expectData("reduce/argmin-long", argmin(tensor(ties, [300], "float32", b)), [], "int32", [250]);
  });
  add1("reduce/integer-sums", async (b) => {
    const i8 = ints(40, 51, -128, 128);
    const x = tensor(i8, [4, 10], "int8", b);
    const rowSums = [0, 1, 2, 3].map((r) => i8.slice(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0));
    await expectData("reduce/sum-int8-to-int32", sum(x, 1), [4], "int32", rowSums);
    await expectData("reduce/max-int8", max(x, 1), [4], "int8", [0, 1, 2, 3].map((r) => Math.max(...i8.slice(r * 10, r * 10 + 10))));
    await expectData("reduce/sum-uint32", sum(tensor([4294967295, 2], [2], "uint32", b)), [], "uint32", [1]);
    await expectData("reduce/argmax-int32", argmax(tensor([-5, 9, 9, 2], [4], "int32", b)), [], "int32", [1]);
  });
  add1("reduce/variance-softmax", async (b) => {
    const data = values(12, 61);
    const x = tensor(data, [3, 4], "float32", b);
    const rows = [0, 1, 2].map((r) => data.slice(r * 4, r * 4 + 4));
    const vars = rows.map((r) => {
      const m = r.reduce((s, v) => s + v, 0) / 4;
      return r.reduce((s, v) => s + (v - m) ** 2, 0) / 3;
    });
    await expectData("reduce/variance", variance(x, 1), [3], "float32", vars, { rtol: 1e-5, atol: 1e-6 });
    const sm = rows.flatMap((r) => {
      const mx = Math.max(...r);
      const e = r.map((v) => Math.exp(v - mx));
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((v) => v / s);
    });
    await expectData("reduce/softmax", softmax(x, 1), [3, 4], "float32", sm, TRANSCENDENTAL);
    await expectData("reduce/logSoftmax", logSoftmax(x, 1), [3, 4], "float32", sm.map(Math.log), { rtol: 1e-5, atol: 1e-5 });
  });

  // every reduction of REDUCE_OPS along the last axis of a [4, 6] float32 tensor
  // (one row with a NaN), against its reference run by run
  const REDUCE_FNS: Record<ReduceOp, (x: Tensor) => Tensor> = {
    sum: (x) => sum(x, 1),
    prod: (x) => prod(x, 1),
    max: (x) => max(x, 1),
    min: (x) => min(x, 1),
    argmax: (x) => argmax(x, 1),
    argmin: (x) => argmin(x, 1),
  };
  for (const op of REDUCE_OP_NAMES) {
    const info: ReduceOpInfo = REDUCE_OPS[op];
    add1(`reduce/${op}-table-reference`, async (b) => {
      const data = values(24, 41);
      data[9] = NaN;
      const rows = [0, 1, 2, 3].map((r) => data.slice(r * 6, r * 6 + 6));
      const outDtype = info.dtype === "index" ? "int32" : "float32";
      const expected = rows.map((run) => (info.dtype === "index" ? info.ref(run) : Math.fround(info.ref(run))));
      await expectData(`reduce/${op}`, REDUCE_FNS[op](tensor(data, [4, 6], "float32", b)), [4], outDtype, expected, info.dtype === "accumulate" ? { rtol: 1e-6, atol: 1e-6 } : {});
    });
  }
  return cases;
}
