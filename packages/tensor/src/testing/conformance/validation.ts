// Conformance cases: what the API refuses, with its typed error, on every backend.
import { arange, full, tensor, zeros } from "../../creation.js";
import { ArgumentError, DTypeError, ShapeError, type TensorError } from "../../errors.js";
import { add } from "../../ops/elementwise.js";
import { oneHot, scatterAdd } from "../../ops/indexing.js";
import { logSoftmax, softmax } from "../../ops/softmax.js";
import { caseAdder, expectData } from "./support.js";
import { type ConformanceCase, ConformanceError } from "./types.js";

/**
 * Validation: shapes, integer ranges, the element cap, slice arguments, empty axes.
 *
 * @example
 * ```ts
 * for (const c of validationCases()) await c.run(cpuBackend());
 * ```
 */
export function validationCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // validation: what the API refuses, with its typed error, on every backend
  function expectThrows(name: string, f: () => unknown, cls: new (...args: never[]) => TensorError): void {
    try {
      f();
    } catch (e) {
      if (e instanceof cls) return;
      throw new ConformanceError(name, `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, expected a ${cls.name}`);
    }
    throw new ConformanceError(name, `did not throw, expected a ${cls.name}`);
  }
  add1("validation/expand-checks-its-target", async (b) => {
    const x = full([3], 1, "float32", b);
    expectThrows("validation/expand-fraction", () => x.expand([2.5, 3]), ShapeError);
    expectThrows("validation/expand-nan", () => x.expand([Number.NaN, 3]), ShapeError);
    expectThrows("validation/expand-cap", () => full([1], 1, "float32", b).expand([2 ** 31]), ShapeError);
    await expectData("validation/expand-ok", x.expand([2, -1]), [2, 3], "float32", [1, 1, 1, 1, 1, 1]);
  });
  add1("validation/integer-ranges-on-creation", async (b) => {
    expectThrows("validation/int8-300", () => tensor([300], undefined, "int8", b), DTypeError);
    expectThrows("validation/int32-1e10", () => full([2], 1e10, "int32", b), DTypeError);
    expectThrows("validation/uint8-negative", () => tensor([-1], undefined, "uint8", b), DTypeError);
    await expectData("validation/int8-edges", tensor([-128, 127], undefined, "int8", b), [2], "int8", [-128, 127]);
  });
  // eslint-disable-next-line @typescript-eslint/require-await -- a case is async by contract; this one only checks synchronous throws
  add1("validation/one-element-cap-for-every-allocating-op", async (b) => {
    expectThrows("validation/broadcast-cap", () => add(zeros([2 ** 16, 1], "float32", b), zeros([1, 2 ** 16], "float32", b)), ShapeError);
    expectThrows("validation/arange-1e12", () => arange(0, 1e12, 1, "float32", b), ShapeError);
    const i = tensor([0, 1], undefined, "int32", b);
    expectThrows("validation/oneHot-1e10", () => oneHot(i, 1e10), ShapeError);
    expectThrows("validation/scatterAdd-negative", () => scatterAdd([-1], 0, i, tensor([1, 2], undefined, "float32", b)), ShapeError);
  });
  add1("validation/slice-needs-integers", async (b) => {
    const x = arange(0, 6, 1, "float32", b);
    expectThrows("validation/slice-fraction", () => x.slice(0, 0.5, 2.5), ArgumentError);
    expectThrows("validation/slice-step", () => x.slice(0, 0, 6, 1.5), ArgumentError);
    await expectData("validation/slice-ok", x.slice(0, 1, -1, 2), [2], "float32", [1, 3]);
  });
  add1("validation/softmax-over-an-empty-axis-is-empty", async (b) => {
    await expectData("validation/softmax-empty", softmax(zeros([2, 0], "float32", b), -1), [2, 0], "float32", []);
    await expectData("validation/logSoftmax-empty", logSoftmax(zeros([0], "float32", b)), [0], "float32", []);
  });
  return cases;
}
