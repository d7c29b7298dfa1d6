// Whether operations record a graph. `noGrad(fn)` switches recording off for
// the duration of `fn` (evaluation, optimizer updates); nothing else here.
// The flag lives in one registered-symbol slot of globalThis, so that every
// copy of this package (npm may nest a second one) sees the same mode.

interface GradMode {
  enabled: boolean;
}

const SLOT = Symbol.for("@bitnet-quantize/autograd/gradMode");

let cached: GradMode | undefined;

/** The shared flag, created on first use (nothing happens at import). */
function mode(): GradMode {
  if (cached !== undefined) return cached;
  const existing: unknown = Reflect.get(globalThis, SLOT);
  if (typeof existing === "object" && existing !== null && typeof Reflect.get(existing, "enabled") === "boolean") {
    cached = existing as GradMode;
  } else {
    cached = { enabled: true };
    Reflect.set(globalThis, SLOT, cached);
  }
  return cached;
}

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
  return mode().enabled;
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
  const state = mode();
  const previous = state.enabled;
  state.enabled = false;
  try {
    return fn();
  } finally {
    state.enabled = previous;
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
  const state = mode();
  const previous = state.enabled;
  state.enabled = true;
  try {
    return fn();
  } finally {
    state.enabled = previous;
  }
}
