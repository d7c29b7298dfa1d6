// Conformance cases: reductions, softmax and matmul past 65,535 elements along
// the reduced axis (llvmpipe ends a shader loop there; backends must split the
// work or refuse it, never return a wrong number).
import { arange, full, tensor } from "../../creation.js";
import { neg } from "../../ops/elementwise.js";
import { matmul } from "../../ops/matmul.js";
import { argmax, argmin, max, mean, min, sum } from "../../ops/reduce.js";
import { softmax } from "../../ops/softmax.js";
import { caseAdder, expectData, refMatmul, values } from "./support.js";
import { type ConformanceCase, ConformanceError } from "./types.js";

/**
 * Long axes: sums, extremes, softmax and matmul inner dimensions past 65,535.
 *
 * @example
 * ```ts
 * for (const c of longCases()) await c.run(cpuBackend());
 * ```
 */
export function longCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // past 65,535 along the reduced axis (llvmpipe ends a shader loop there;
  // backends must split the work or refuse it, never return a wrong number)
  const LONG = 1_500_000;
  add1("long/sum-mean-of-ones-1.5M", async (b) => {
    const x = full([LONG], 1, "float32", b);
    await expectData("long/sum", sum(x), [], "float32", [LONG]);
    await expectData("long/mean", mean(x), [], "float32", [1]);
    await expectData("long/sum-int32", sum(full([LONG], 3, "int32", b)), [], "int32", [3 * LONG]);
  });
  add1("long/max-argmax-arange-1.5M", async (b) => {
    const x = arange(0, LONG, 1, "float32", b);
    await expectData("long/max", max(x), [], "float32", [LONG - 1]);
    await expectData("long/min", min(x), [], "float32", [0]);
    await expectData("long/argmax", argmax(x), [], "int32", [LONG - 1]);
    await expectData("long/argmin", argmin(neg(x)), [], "int32", [LONG - 1]);
    // ties: the first extreme wins across chunks
    await expectData("long/argmax-ties", argmax(full([LONG], 2, "float32", b)), [], "int32", [0]);
  });
  add1("long/max-nan-far-in", async (b) => {
    const data = new Float32Array(200_000).fill(1);
    data[150_001] = NaN;
    data[190_000] = NaN;
    const x = tensor(data, [200_000], "float32", b);
    await expectData("long/max-nan", max(x), [], "float32", [NaN]);
    await expectData("long/argmax-first-nan", argmax(x), [], "int32", [150_001]);
  });
  add1("long/softmax-row-1.5M", async (b) => {
    const y = softmax(full([1, LONG], 0.5, "float32", b), 1);
    const got = await y.data();
    const want = Math.fround(1 / LONG);
    for (const i of [0, 1, 65_535, 65_536, 1_000_000, LONG - 1]) {
      const v = got[i];
      if (!(Math.abs(v - want) <= want * 1e-4)) throw new ConformanceError("long/softmax", `element ${i}: got ${v}, expected ${want}`);
    }
    await expectData("long/softmax-sum", sum(y), [], "float32", [1], { atol: 1e-3 });
  });
  add1("long/sum-over-a-strided-long-axis", async (b) => {
    // [70000, 3] summed over axis 0: the reduced axis is strided and long
    const n = 70_000;
    const x = full([n, 3], 1, "float32", b).mul(tensor([1, 2, 3], [3], "float32", b));
    await expectData("long/sum-axis0", sum(x, 0), [3], "float32", [n, 2 * n, 3 * n]);
    await expectData("long/argmax-axis0", argmax(x, 0), [3], "int32", [0, 0, 0]);
  });
  add1("long/matmul-1xKx1-K100000", async (b) => {
    const k = 100_000;
    await expectData("long/matmul-1xK", matmul(full([1, k], 1, "float32", b), full([k, 1], 1, "float32", b)), [1, 1], "float32", [k]);
  });
  add1("long/matmul-16xKx16-K1000000", async (b) => {
    const k = 1_000_000;
    await expectData("long/matmul-16xK", matmul(full([16, k], 1, "float32", b), full([k, 16], 1, "float32", b)), [16, 16], "float32", new Array<number>(256).fill(k));
  });
  add1("long/matmul-values-K70000", async (b) => {
    const [m, k, n] = [2, 70_000, 3];
    const a = values(m * k, 901);
    const c = values(k * n, 902);
    const { out, bound } = refMatmul(a, c, 1, m, k, n, false);
    await expectData("long/matmul-values", matmul(tensor(a, [m, k], "float32", b), tensor(c, [k, n], "float32", b)), [m, n], "float32", out, { atolEach: bound, atol: 1e-5 });
  });
  return cases;
}
