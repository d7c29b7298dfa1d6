// Typed arrays that live in this realm's shared wasm memory, where the
// kernels read them in place: the packed weights the CPU backend adopts
// (ternary-wasm.ts) and the KV cache rows attention reads (row-dots.ts). One
// registry of their offsets, and one release when a view is garbage
// collected. Not the per-call blocks (those are allocated and released
// around each kernel call).
import { wasmKernels } from "./wasm-kernels.js";

/** Bytes past an array's end that a v128 load of its last values may read. */
export const TAIL_BYTES = 16;

/** Views of the shared wasm memory made here: their byte offset in it. */
const offsets = new WeakMap<ArrayBufferView, number>();
let registry: FinalizationRegistry<number> | undefined;

/** A typed-array constructor (`Uint32Array`, `Float32Array`, ...). */
type ViewConstructor<T> = { readonly BYTES_PER_ELEMENT: number } & (new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T);

/**
 * A zeroed `type` array of `length` elements in this realm's shared wasm
 * memory (fresh pages are left untouched, so they are committed only as
 * they are written; see `WasmArena.allocZeroed`), known to the kernels by
 * {@link residentOffset} and released when the view is garbage collected;
 * undefined where the memory is not shared (views of it would detach) or
 * cannot grow.
 *
 * @example
 * ```ts
 * const words = newResident(Uint32Array, 1024) ?? new Uint32Array(1024);
 * ```
 */
export function newResident<T extends ArrayBufferView>(type: ViewConstructor<T>, length: number): T | undefined {
  const kernels = wasmKernels();
  if (kernels === undefined || !kernels.arena.shared) return undefined;
  const ptr = kernels.arena.allocZeroed(length * type.BYTES_PER_ELEMENT + TAIL_BYTES);
  if (ptr < 0) return undefined;
  const view = new type(kernels.arena.memory.buffer, ptr, length);
  offsets.set(view, ptr);
  registry ??= new FinalizationRegistry<number>((p) => kernels.arena.release(p));
  registry.register(view, ptr);
  return view;
}

/**
 * The byte offset in the kernels' memory of an array made by
 * {@link newResident}, or undefined for any other array.
 *
 * @example
 * ```ts
 * residentOffset(new Float32Array(4)); // undefined
 * ```
 */
export function residentOffset(view: ArrayBufferView): number | undefined {
  return offsets.get(view);
}
