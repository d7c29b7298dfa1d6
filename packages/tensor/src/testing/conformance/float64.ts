// Conformance cases in float64, where the backend holds it.
import { tensor } from "../../creation.js";
import { add } from "../../ops/elementwise.js";
import { UNARY_OPS, UNARY_OP_NAMES, type UnaryOpInfo } from "../../ops/unary-ops.js";
import { sum } from "../../ops/reduce.js";
import { expectData, unaryOp } from "./support.js";
import type { ConformanceCase } from "./types.js";

/**
 * Float64 cases, for backends that hold float64.
 *
 * @example
 * ```ts
 * for (const c of float64Cases()) await c.run(cpuBackend());
 * ```
 */
export function float64Cases(): ConformanceCase[] {
  return [
  {
    name: "float64/upload-add-sum",
    run: async (b) => {
      const data = [0.1, 0.2, 1e-300, 1 / 3];
      const x = tensor(data, [4], "float64", b);
      await expectData("float64/add", add(x, x), [4], "float64", data.map((v) => v + v));
      await expectData("float64/sum", sum(x), [], "float64", [data.reduce((s, v) => s + v, 0)], { rtol: 1e-15 });
    },
  },
  // every unary op in float64 follows its float64 reference (erf included: no float32 shortcut)
  ...UNARY_OP_NAMES.map((op): ConformanceCase => ({
    name: `float64/unary-${op}`,
    run: async (b) => {
      const info: UnaryOpInfo = UNARY_OPS[op];
      const data = [...info.samples, 0.1, -1 / 3, 0.7];
      const x = tensor(data, [data.length], "float64", b);
      await expectData(`float64/${op}`, unaryOp(op, x), [data.length], "float64", data.map((v) => info.ref(v)), { rtol: 1e-15 });
    },
  })),
];
}
