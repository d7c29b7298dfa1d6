// The conformance suite's public types: a case, the options, the mismatch error.
import type { Backend } from "../../backend.js";

/**
 * One conformance case: `run` throws a {@link ConformanceError} on a mismatch.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases()) await c.run(cpuBackend());
 * ```
 */
export interface ConformanceCase {
  /** `group/what`, unique. */
  readonly name: string;
  run(backend: Backend): Promise<void>;
}

/**
 * Which optional capabilities the backend under test has.
 *
 * @example
 * ```ts
 * conformanceCases({ float64: false }); // a WebGPU backend holds no float64
 * ```
 */
export interface ConformanceOptions {
  /** Include float64 cases (default true). */
  readonly float64?: boolean;
}

/**
 * A mismatch between a backend's result and the expectation.
 *
 * @example
 * ```ts
 * new ConformanceError("unary/exp", "element 3: got 1, expected 2.718").message; // "unary/exp: element 3: got 1, expected 2.718"
 * ```
 */
export class ConformanceError extends Error {
  constructor(caseName: string, detail: string) {
    super(`${caseName}: ${detail}`);
    this.name = "ConformanceError";
  }
}
