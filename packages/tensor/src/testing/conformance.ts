// The backend conformance suite: named cases that create tensors on a given
// backend, run ops through the public tensor functions, read back with
// `await t.data()` and compare with expectations computed in the case by plain
// loops. Any backend (CPU, WebGPU, ...) runs the same cases. No test runner here.
// The cases live in conformance/, one file per concept; this file assembles them.
import { elementwiseCases } from "./conformance/elementwise.js";
import { errorsCases } from "./conformance/errors.js";
import { float64Cases } from "./conformance/float64.js";
import { indexingCases } from "./conformance/indexing.js";
import { longCases } from "./conformance/long.js";
import { matmulCases } from "./conformance/matmul.js";
import { reduceCases } from "./conformance/reduce.js";
import { storageCases } from "./conformance/storage.js";
import { ternaryCases } from "./conformance/ternary.js";
import { validationCases } from "./conformance/validation.js";
import type { ConformanceCase, ConformanceOptions } from "./conformance/types.js";

export { ConformanceError } from "./conformance/types.js";
export type { ConformanceCase, ConformanceOptions } from "./conformance/types.js";

/**
 * The conformance cases, in a fixed order. Each creates its tensors on the
 * backend it is given, so run them with the backend under test.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases({ float64: false })) await c.run(gpu); // throws ConformanceError on a mismatch
 * ```
 */
export function conformanceCases(options: ConformanceOptions = {}): readonly ConformanceCase[] {
  const cases = [...storageCases(), ...elementwiseCases(), ...reduceCases(), ...longCases(), ...validationCases(), ...indexingCases(), ...matmulCases(), ...ternaryCases(), ...errorsCases()];
  return options.float64 === false ? cases : [...cases, ...float64Cases()];
}
