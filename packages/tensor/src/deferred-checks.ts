// Checks whose outcome lives on the device. A backend without synchronous reads
// (WebGPU) cannot throw when an op is called with bad values, so the op records
// a check instead: a 0/1 tensor of what is wrong, reduced on the device into one
// int32 fault word per backend. The next read of any tensor on that backend
// (`Tensor.data()`) reads the word first and throws the recorded error of the
// earliest failed check, as the CPU would have thrown at the call: the same
// typed error, reported at the next synchronisation.
import type { Backend, Storage, View } from "./backend.js";
import { BackendError } from "./errors.js";
import { contiguousLayout } from "./layout.js";

/** The pending checks of one backend: the fault word and each code's error. */
interface Faults {
  flag: Storage | null;
  readonly errors: Map<number, () => Error>;
  next: number;
}

/** What a deferred check needs of a tensor (structural, so that this file imports no Tensor). */
export interface Checked {
  readonly backend: Backend;
  readonly view: View;
  readonly shape: readonly number[];
}

const FAULTS = new WeakMap<Backend, Faults>();
/** Codes count down from here, so that the maximum over codes is the earliest failed check. */
const FIRST_CODE = 2 ** 31 - 1;
const SCALAR = contiguousLayout([]);

function scalarView(storage: Storage): View {
  return { storage, layout: SCALAR };
}

/**
 * Records a check on `bad`'s backend: if any element of `bad` (a uint8 0/1
 * tensor, computed with tensor ops) is non-zero, the next `data()` of a tensor
 * on that backend throws `error()`. For backends without `readSync`; backends
 * with it check at once and throw at the call. An empty `bad` records nothing.
 *
 * @example
 * ```ts
 * if (x.backend.readSync === undefined) deferCheck(ne(sub(x, x), 0), () => new ArgumentError("f: x has NaN or ±Infinity"));
 * ```
 */
export function deferCheck(bad: Checked, error: () => Error): void {
  if (bad.shape.some((d) => d === 0)) return;
  const b = bad.backend;
  let f = FAULTS.get(b);
  if (f === undefined) {
    f = { flag: null, errors: new Map(), next: 0 };
    FAULTS.set(b, f);
  }
  const code = FIRST_CODE - f.next++;
  const any = b.reduce("max", bad.view, bad.shape.map((_, i) => i));
  const anyInt = b.cast(scalarView(any), "int32");
  b.free(any);
  const codeStorage = b.upload(Int32Array.of(code), "int32");
  const coded = b.binary("mul", scalarView(anyInt), scalarView(codeStorage), "int32");
  b.free(anyInt);
  b.free(codeStorage);
  if (f.flag === null) f.flag = coded;
  else {
    const merged = b.binary("maximum", scalarView(f.flag), scalarView(coded), "int32");
    b.free(f.flag);
    b.free(coded);
    f.flag = merged;
  }
  f.errors.set(code, error);
}

/**
 * Reads `backend`'s pending checks (one int32 read) and clears them; throws
 * the error of the earliest failed one. Called by `Tensor.data()` before it reads.
 *
 * @example
 * ```ts
 * await settleChecks(gpu); // throws ArgumentError if a gather on gpu had an index out of range
 * ```
 */
export async function settleChecks(backend: Backend): Promise<void> {
  const f = FAULTS.get(backend);
  if (f === undefined || f.flag === null) return;
  FAULTS.delete(backend);
  const flag = f.flag;
  const word = (await backend.read(flag))[0];
  backend.free(flag);
  if (word === 0) return;
  const error = f.errors.get(word);
  throw error !== undefined ? error() : new BackendError(`a deferred check failed with unknown code ${word}`);
}
