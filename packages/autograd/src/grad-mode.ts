// Whether operations record a graph. `noGrad(fn)` switches recording off for
// the duration of `fn` (evaluation, optimizer updates); nothing else here.

let enabled = true;

/**
 * True when ops record the graph for backward (the default).
 *
 * @example
 * ```ts
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` with graph recording off and returns its result: ops inside give
 * `Var`s with `requiresGrad === false` and keep no saved tensors. Nests, and
 * restores the previous mode even when `fn` throws.
 *
 * @example
 * ```ts
 * const w = param(tensor([2]));
 * const y = noGrad(() => w.mul(3)); // y.requiresGrad === false, y.value is [6]
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs `fn` with graph recording on (inside a {@link noGrad} block, for example).
 *
 * @example
 * ```ts
 * noGrad(() => enableGrad(() => isGradEnabled())); // true
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
