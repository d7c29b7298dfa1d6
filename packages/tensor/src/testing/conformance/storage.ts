// Conformance cases: storage: upload, alloc, read, free.
import { arange, full, tensor, zeros } from "../../creation.js";
import { add } from "../../ops/elementwise.js";
import { sum } from "../../ops/reduce.js";
import { stored, expectData, caseAdder } from "./support.js";
import { type ConformanceCase, ConformanceError } from "./types.js";

/**
 * Storage: upload, alloc, read, free.
 *
 * @example
 * ```ts
 * for (const c of storageCases()) await c.run(cpuBackend());
 * ```
 */
export function storageCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // storage: upload, alloc, read, free
  for (const dtype of ["float32", "int32", "int8", "uint8", "uint32"] as const) {
    add1(`storage/upload-read-${dtype}`, async (b) => {
      const src = dtype === "float32" ? [0, -1.5, 3.25, 1e30, -1e-30] : dtype === "uint32" ? [0, 1, 4294967295, 123456789, 7] : dtype === "uint8" ? [0, 1, 255, 128, 7] : dtype === "int8" ? [0, -1, 127, -128, 7] : [0, -1, 2147483647, -2147483648, 7];
      await expectData(`storage/upload-read-${dtype}`, tensor(src, [5], dtype, b), [5], dtype, src.map((v) => stored(v, dtype)));
    });
  }
  add1("storage/alloc-zeros", async (b) => {
    await expectData("storage/alloc-zeros", zeros([3, 4], "float32", b), [3, 4], "float32", new Array<number>(12).fill(0));
    await expectData("storage/alloc-zeros", zeros([5], "int8", b), [5], "int8", [0, 0, 0, 0, 0]);
  });
  add1("storage/full-and-arange", async (b) => {
    await expectData("storage/full", full([2, 2], 7, "int32", b), [2, 2], "int32", [7, 7, 7, 7]);
    await expectData("storage/arange", arange(0, 5, 1, "float32", b), [5], "float32", [0, 1, 2, 3, 4]);
  });
  add1("storage/dispose-then-read-others", async (b) => {
    const x = tensor([1, 2, 3], [3], "float32", b);
    const y = add(x, 1);
    x.dispose();
    await expectData("storage/dispose", y, [3], "float32", [2, 3, 4]);
    let threw = false;
    try {
      await x.data();
    } catch {
      threw = true;
    }
    if (!threw) throw new ConformanceError("storage/dispose", "reading a disposed tensor did not throw");
  });
  add1("storage/empty", async (b) => {
    const e = zeros([0, 3], "float32", b);
    await expectData("storage/empty", e, [0, 3], "float32", []);
    await expectData("storage/empty-sum", sum(e, 0), [3], "float32", [0, 0, 0]);
    await expectData("storage/empty-add", add(e, 1), [0, 3], "float32", []);
  });

  return cases;
}
