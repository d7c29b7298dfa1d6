// The driver of the elementwise wasm kernels (elementwise-kernel.ts): copies
// both operands into wasm memory, runs the kernel, copies the result out.
// Float32 only; bit-identical to binaryKernel.
import type { TypedArray } from "../dtype.js";
import { WASM_BINARY_OPS, type WasmBinaryOp } from "./elementwise-kernel.js";
import { wasmKernels } from "./wasm-kernels.js";

/**
 * `out[i] = a[i] op b[i]` for float32 arrays of equal length with the wasm
 * kernel when `op` has one (add, sub, mul, div); false, computing nothing,
 * otherwise (other ops or dtypes, no SIMD, wasm memory full).
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * binaryWasm("add", new Float32Array([1, 2]), new Float32Array([3, 4]), out); // true; out = [4, 6]
 * ```
 */
export function binaryWasm(op: string, a: TypedArray, b: TypedArray, out: TypedArray): boolean {
  if (!(op in WASM_BINARY_OPS) || !(a instanceof Float32Array) || !(b instanceof Float32Array) || !(out instanceof Float32Array)) return false;
  const kernels = wasmKernels();
  if (kernels === undefined) return false;
  const n = out.length;
  if (n === 0) return true;
  const bytes = Math.ceil(n / 4) * 16;
  const { arena } = kernels;
  const pa = arena.alloc(bytes);
  const pb = arena.alloc(bytes);
  try {
    if (pa < 0 || pb < 0) return false;
    const f32 = new Float32Array(arena.memory.buffer);
    f32.set(a.subarray(0, n), pa / 4);
    f32.set(b.subarray(0, n), pb / 4);
    kernels.binary[op as WasmBinaryOp](pa, pb, pa, bytes / 16); // in place into a's copy
    out.set(f32.subarray(pa / 4, pa / 4 + n));
    return true;
  } finally {
    arena.release(pa);
    arena.release(pb);
  }
}
