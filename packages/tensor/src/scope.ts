// Deterministic memory: `tidy(fn)` frees every storage created while `fn` runs
// except those its result holds (as tfjs's `tidy`), and `keep(t)` exempts a
// tensor from every scope. The tensor constructor reports each tensor here.
// The backends' finalizers stay a safety net only. Not the tensor class.
import type { Storage } from "./backend.js";
import { ArgumentError } from "./errors.js";

/** One open scope: the storages first wrapped while it was innermost. */
interface Scope {
  readonly owned: Set<Storage>;
}

const scopes: Scope[] = [];

// Flags kept on the storage objects themselves (symbol-keyed properties):
// weak collections with an entry per storage would grow tables that only a
// full garbage collection trims, which is what scopes exist to avoid.
const SEEN = Symbol("bitnet-quantize.seen");
const FREED = Symbol("bitnet-quantize.freed");
const PINNED = Symbol("bitnet-quantize.pinned");
type Flag = typeof SEEN | typeof FREED | typeof PINNED;
type Flagged = Storage & { [SEEN]?: true; [FREED]?: true; [PINNED]?: true };
/** Flags of storages that do not take properties (a frozen storage object). */
const fallback = { [SEEN]: new WeakSet<Storage>(), [FREED]: new WeakSet<Storage>(), [PINNED]: new WeakSet<Storage>() };

function has(storage: Storage, flag: Flag): boolean {
  return (storage as Flagged)[flag] === true || fallback[flag].has(storage);
}

function mark(storage: Storage, flag: Flag): void {
  if (!Reflect.set(storage, flag, true)) fallback[flag].add(storage);
}

/** How the tensor class exposes a tensor's storage to scopes (registered by tensor.ts; null for other objects). */
let storageOfTensor: (x: object) => Storage | null = () => null;

/**
 * Called once by the tensor module: how to get a tensor's storage.
 *
 * @example
 * ```ts
 * registerTensorProbe((x) => (x instanceof Tensor ? x.storageOrNull : null));
 * ```
 */
export function registerTensorProbe(probe: (x: object) => Storage | null): void {
  storageOfTensor = probe;
}

/**
 * Called by the `Tensor` constructor: gives a storage no tensor wrapped
 * before to the innermost open scope.
 *
 * @example
 * ```ts
 * trackStorage(storage); // in the Tensor constructor
 * ```
 */
export function trackStorage(storage: Storage): void {
  if (has(storage, SEEN)) return;
  mark(storage, SEEN);
  scopes[scopes.length - 1]?.owned.add(storage);
}

/**
 * Marks a storage freed (by `dispose()` or a scope), so that every tensor over it reads as disposed.
 *
 * @example
 * ```ts
 * markFreed(storage);
 * ```
 */
export function markFreed(storage: Storage): void {
  mark(storage, FREED);
}

/**
 * True when the storage was freed by a scope or by `dispose()` of a tensor over it.
 *
 * @example
 * ```ts
 * isStorageFreed(t.storage); // false while t is alive
 * ```
 */
export function isStorageFreed(storage: Storage): boolean {
  return has(storage, FREED);
}

/** Frees a storage once (the backend's `free`), unless pinned. */
function release(storage: Storage): void {
  if (has(storage, FREED) || has(storage, PINNED)) return;
  mark(storage, FREED);
  storage.backend.free(storage);
}

/**
 * Storages reachable from a scope's result: tensors, arrays, plain objects,
 * and the `value` and `grad` of other objects (an autograd `Var`).
 */
function reachable(x: unknown, out: Set<Storage>, visited: Set<object>, depth: number): void {
  if (x === null || typeof x !== "object" || depth > 8 || visited.has(x)) return;
  visited.add(x);
  const s = storageOfTensor(x);
  if (s !== null) {
    out.add(s);
    return;
  }
  if (Array.isArray(x)) {
    for (const e of x) reachable(e, out, visited, depth + 1);
    return;
  }
  if (x instanceof Map) {
    for (const e of x.values()) reachable(e, out, visited, depth + 1);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) {
    for (const e of Object.values(x)) reachable(e, out, visited, depth + 1);
    return;
  }
  const rec = x as { value?: unknown; grad?: unknown };
  reachable(rec.value, out, visited, depth + 1);
  reachable(rec.grad, out, visited, depth + 1);
}

function isThenable(x: unknown): boolean {
  return x !== null && (typeof x === "object" || typeof x === "function") && typeof (x as { then?: unknown }).then === "function";
}

/**
 * Runs `fn` and then frees every storage that a tensor created during `fn`
 * wrapped first, except those reachable from the result (tensors, arrays and
 * plain objects of them, and the `value`/`grad` of an autograd `Var`) and
 * those {@link keep} exempted. The storages the result keeps belong to the
 * enclosing scope, if any. On an exception everything created is freed.
 * `fn` must be synchronous: a Promise result is an `ArgumentError`.
 *
 * Views created inside over storages created outside are not freed; tensors
 * over a freed storage throw a `BackendError` when used.
 *
 * @example
 * ```ts
 * const loss = tidy(() => {
 *   opt.zeroGrad();
 *   const l = mse(model.forward(new Var(x)), y);
 *   l.backward();
 *   opt.step();
 *   return l.value; // everything else of the step is freed here
 * });
 * console.log((await loss.data())[0]);
 * loss.dispose();
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scope = { owned: new Set() };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.splice(scopes.lastIndexOf(scope), 1);
    for (const s of scope.owned) release(s);
    throw e;
  }
  scopes.splice(scopes.lastIndexOf(scope), 1);
  if (isThenable(result)) {
    for (const s of scope.owned) release(s);
    throw new ArgumentError("tidy: fn returned a Promise; a scope must be synchronous (await outside it)");
  }
  const keepSet = new Set<Storage>();
  reachable(result, keepSet, new Set(), 0);
  const parent = scopes[scopes.length - 1];
  for (const s of scope.owned) {
    if (keepSet.has(s)) parent?.owned.add(s);
    else release(s);
  }
  return result;
}

/**
 * Exempts a tensor's storage from every scope (open or later): it lives until
 * `dispose()` (or, as a safety net, until it is garbage collected). Optimizers
 * keep the parameter values and state they produce this way.
 *
 * @example
 * ```ts
 * const w = tidy(() => keep(randn([4, 4])).mul(1)); // the randn input survives too
 * ```
 */
export function keep<T extends object>(tensor: T): T {
  const s = storageOfTensor(tensor);
  if (s === null) throw new ArgumentError("keep: expects a Tensor");
  mark(s, PINNED);
  for (const scope of scopes) scope.owned.delete(s);
  return tensor;
}

/**
 * Number of open {@link tidy} scopes (0 outside any).
 *
 * @example
 * ```ts
 * tidy(() => scopeDepth()); // 1
 * ```
 */
export function scopeDepth(): number {
  return scopes.length;
}
