// Conformance cases: errors: the same typed error on every backend, and the backend usable afterwards.
import { tensor } from "../../creation.js";
import { gather, indexSelect, scatterAdd } from "../../ops/indexing.js";
import { packTernaryArray } from "../../quant/packed-format.js";
import { packTernary } from "../../quant/packed-ternary.js";
import { ArgumentError } from "../../errors.js";
import { expectData, expectRejects, caseAdder } from "./support.js";
import type { ConformanceCase } from "./types.js";

/**
 * Errors: the same typed error on every backend, and the backend usable afterwards.
 *
 * @example
 * ```ts
 * for (const c of errorsCases()) await c.run(cpuBackend());
 * ```
 */
export function errorsCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // errors: the same typed error on every backend, and the backend usable afterwards
  add1("errors/gather-index-out-of-range", async (b) => {
    const x = tensor([1, 2, 3, 4], [2, 2], "float32", b);
    await expectRejects("errors/gather-high", ArgumentError, () => gather(x, 1, tensor([0, 2, 1, 0], [2, 2], "int32", b)).data());
    await expectRejects("errors/gather-negative", ArgumentError, () => gather(x, 0, tensor([-1, 0], [1, 2], "int32", b)).data());
    await expectData("errors/gather-after", gather(x, 1, tensor([1, 0], [2, 1], "int32", b)), [2, 1], "float32", [2, 3]);
  });
  add1("errors/indexSelect-index-out-of-range", async (b) => {
    const x = tensor([1, 2, 3, 4, 5, 6], [3, 2], "float32", b);
    await expectRejects("errors/indexSelect", ArgumentError, () => indexSelect(x, 0, tensor([0, 3], [2], "int32", b)).data());
    await expectData("errors/indexSelect-after", indexSelect(x, 0, tensor([2], [1], "int32", b)), [1, 2], "float32", [5, 6]);
  });
  add1("errors/scatterAdd-index-out-of-range", async (b) => {
    const src = tensor([1, 2, 3], [3], "float32", b);
    await expectRejects("errors/scatterAdd", ArgumentError, () => scatterAdd([2], 0, tensor([0, 1, 2], [3], "int32", b), src).data());
    await expectData("errors/scatterAdd-after", scatterAdd([2], 0, tensor([0, 1, 0], [3], "int32", b), src), [2], "float32", [4, 2]);
  });
  add1("errors/packTernary-invalid-value", async (b) => {
    await expectRejects("errors/packTernary-2", ArgumentError, () => packTernary(tensor([1, 0, 2, -1], [1, 4], "float32", b)).words.data());
    await expectRejects("errors/packTernary-half", ArgumentError, () => packTernary(tensor([0.5, 0], [1, 2], "float32", b)).words.data());
    await expectRejects("errors/packTernary-nan", ArgumentError, () => packTernary(tensor([NaN, 0], [1, 2], "float32", b)).words.data());
    const ok = packTernary(tensor([1, 0, -1], [1, 3], "float32", b));
    await expectData("errors/packTernary-after", ok.words, [1, 1], "uint32", Array.from(packTernaryArray([1, 0, -1], 1, 3)));
  });
  return cases;
}
