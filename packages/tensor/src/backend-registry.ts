// The one global of this package: the backend new tensors are created on.
// Importing any module never sets it; it starts as a lazily created CPU backend.
import type { Backend } from "./backend.js";
import { cpuBackend } from "./cpu/cpu-backend.js";

let defaultCpu: ReturnType<typeof cpuBackend> | undefined;
let current: Backend | undefined;

/**
 * The library's shared CPU backend (created on first use).
 *
 * @example
 * ```ts
 * defaultCpuBackend().name; // "cpu"
 * ```
 */
export function defaultCpuBackend(): ReturnType<typeof cpuBackend> {
  defaultCpu ??= cpuBackend();
  return defaultCpu;
}

/**
 * The backend that creation functions (`tensor`, `zeros`, `randn`, ...) use
 * when none is given.
 *
 * @example
 * ```ts
 * getBackend().name; // "cpu" unless setBackend was called
 * ```
 */
export function getBackend(): Backend {
  return current ?? defaultCpuBackend();
}

/**
 * Makes `backend` the default for new tensors and returns the previous one.
 * Existing tensors stay where they are; move them with `x.to(backend)`.
 *
 * @example
 * ```ts
 * const previous = setBackend(gpu);
 * zeros([2]).backend === gpu; // true
 * setBackend(previous);
 * ```
 */
export function setBackend(backend: Backend): Backend {
  const previous = getBackend();
  current = backend;
  return previous;
}
