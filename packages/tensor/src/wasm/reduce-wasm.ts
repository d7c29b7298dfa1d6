// The driver of the wasm float32 sum (reduce-kernel.ts): copies the spanned
// part of the storage and the element offsets into wasm memory, runs the
// kernel, copies the sums out. Bit-identical to reduceKernel's "sum".
import type { TypedArray } from "../dtype.js";
import { wasmKernels } from "./wasm-kernels.js";

/**
 * `out[o] = Σ_j data[offs[o·inner + j]]` (float64 accumulation in order,
 * rounded to float32) for a Float32Array `data` and `out`; false, computing
 * nothing, for other dtypes, without SIMD, or when wasm memory is full.
 * Offsets must be valid indices of `data`.
 *
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * sumWasm(new Float32Array([1, 2, 3]), new Int32Array([0, 1, 2]), out, 1, 3); // true; out = [6]
 * ```
 */
export function sumWasm(data: TypedArray, offs: Int32Array, out: TypedArray, outer: number, inner: number): boolean {
  if (!(data instanceof Float32Array) || !(out instanceof Float32Array)) return false;
  const kernels = wasmKernels();
  if (kernels === undefined) return false;
  if (outer === 0) return true;
  let lo = Infinity;
  let hi = -Infinity;
  const n = outer * inner;
  for (let i = 0; i < n; i++) {
    const o = offs[i];
    if (o < lo) lo = o;
    if (o > hi) hi = o;
  }
  if (n === 0) {
    lo = 0;
    hi = -1;
  }
  const span = hi - lo + 1;
  const { arena } = kernels;
  const pd = arena.alloc(span * 4);
  const po = arena.alloc(n * 4);
  const pout = arena.alloc(outer * 4);
  try {
    if (pd < 0 || po < 0 || pout < 0) return false;
    const buffer = arena.memory.buffer;
    new Float32Array(buffer, pd, span).set(data.subarray(lo, hi + 1));
    new Int32Array(buffer, po, n).set(offs.subarray(0, n));
    // element i sits at pd + 4(i - lo): pass the base of element 0 (may lie below pd; only valid offsets are read)
    kernels.sumF32(pd - 4 * lo, po, pout, outer, inner);
    out.set(new Float32Array(buffer, pout, outer));
    return true;
  } finally {
    arena.release(pd);
    arena.release(po);
    arena.release(pout);
  }
}
