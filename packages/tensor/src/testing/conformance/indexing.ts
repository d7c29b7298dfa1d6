// Conformance cases: joins and indexing.
import { tensor } from "../../creation.js";
import { gather, indexSelect, scatterAdd } from "../../ops/indexing.js";
import { concat, stack } from "../../ops/join.js";
import { values, expectData, caseAdder } from "./support.js";
import type { ConformanceCase } from "./types.js";

/**
 * Joins and indexing.
 *
 * @example
 * ```ts
 * for (const c of indexingCases()) await c.run(cpuBackend());
 * ```
 */
export function indexingCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // joins and indexing
  add1("join/concat-and-stack", async (b) => {
    const a = values(6, 71);
    const c = values(4, 72);
    const ta = tensor(a, [2, 3], "float32", b);
    const tc = tensor(c, [2, 2], "float32", b);
    await expectData("join/concat-axis1", concat([ta, tc], 1), [2, 5], "float32", [a[0], a[1], a[2], c[0], c[1], a[3], a[4], a[5], c[2], c[3]] as number[]);
    await expectData("join/concat-axis0-strided", concat([ta.transpose(), tc], 0), [5, 2], "float32", [a[0], a[3], a[1], a[4], a[2], a[5], c[0], c[1], c[2], c[3]] as number[]);
    await expectData("join/stack", stack([tensor([1, 2], [2], "int32", b), tensor([3, 4], [2], "int32", b)], 1), [2, 2], "int32", [1, 3, 2, 4]);
    await expectData("join/concat-uint8", concat([tensor([1], [1], "uint8", b), tensor([255, 2], [2], "uint8", b)]), [3], "uint8", [1, 255, 2]);
  });
  add1("index/gather-each-axis", async (b) => {
    const data = values(12, 81);
    const x = tensor(data, [3, 4], "float32", b);
    const idx1 = [3, 0, 1, 1, 2, 2];
    await expectData("index/gather-axis1", gather(x, 1, tensor(idx1, [3, 2], "int32", b)), [3, 2], "float32", idx1.map((j, p) => data[Math.floor(p / 2) * 4 + j]));
    const idx0 = [2, 0, 1, 0, 1, 1, 0, 2];
    await expectData("index/gather-axis0", gather(x, 0, tensor(idx0, [2, 4], "int32", b)), [2, 4], "float32", idx0.map((i, p) => data[i * 4 + (p % 4)]));
    await expectData("index/gather-transposed-x", gather(x.transpose(), 1, tensor([2, 0], [1, 2], "int32", b)), [1, 2], "float32", [data[8], data[0]] as number[]);
    await expectData("index/indexSelect", indexSelect(x, 0, tensor([2, 2, 0], [3], "int32", b)), [3, 4], "float32", [...data.slice(8, 12), ...data.slice(8, 12), ...data.slice(0, 4)]);
    await expectData("index/gather-int8", gather(tensor([-1, -2, -3], [3], "int8", b), 0, tensor([2, 1], [2], "int32", b)), [2], "int8", [-3, -2]);
  });
  add1("index/scatterAdd-duplicates", async (b) => {
    const idx = [0, 2, 2, 1, 1, 1];
    const src = values(6, 91);
    const expected = [0, 0, 0, 0, 0, 0, 0, 0];
    idx.forEach((j, p) => {
      const row = Math.floor(p / 3);
      expected[row * 4 + j] = (expected[row * 4 + j]) + (src[p]);
    });
    await expectData("index/scatterAdd-axis1", scatterAdd([2, 4], 1, tensor(idx, [2, 3], "int32", b), tensor(src, [2, 3], "float32", b)), [2, 4], "float32", expected, { rtol: 1e-6, atol: 1e-6 });
    const e0 = new Array<number>(6).fill(0);
    [1, 1, 0].forEach((i, p) => (e0[i * 2 + (p % 2)] = (e0[i * 2 + (p % 2)]) + p + 1));
    await expectData("index/scatterAdd-axis0", scatterAdd([3, 2], 0, tensor([1, 1, 0], [3, 1], "int32", b), tensor([1, 2, 3], [3, 1], "float32", b)), [3, 2], "float32", [3, 0, 3, 0, 0, 0]);
    await expectData("index/scatterAdd-int32", scatterAdd([3], 0, tensor([2, 2, 0], [3], "int32", b), tensor([5, 6, 7], [3], "int32", b)), [3], "int32", [7, 0, 11]);
  });

  return cases;
}
