// One operand block in the kernels' memory that the host-array kernels
// (row-dots.ts, attention-heads.ts, silu-wasm.ts, int8-rows.ts,
// rms-norm-wasm.ts) and the ternary products' activation layout copy their
// operands into, kept between calls: a decode step calls them hundreds of
// times, and an alloc and a release per call cost more than the kernels
// themselves at these sizes. Calls are synchronous and never nest, so one
// block serves them all.
import { type WasmKernels, wasmKernels } from "./wasm-kernels.js";

let scratch: { kernels: WasmKernels; ptr: number; bytes: number } | undefined;

/**
 * Below this many values, copying an operand into the kernels' memory and
 * the result back costs more than a host-array kernel saves over its plain
 * loop: callers run the loop.
 *
 * @example
 * ```ts
 * const w = scratchKernels(n >= MIN_KERNEL_VALUES, n * 4);
 * ```
 */
export const MIN_KERNEL_VALUES = 64;

/**
 * The byte offset of a block of at least `bytes` in `kernels`' memory,
 * valid until the next call (grown by doubling, from 4 KiB); -1 when the
 * memory cannot grow.
 *
 * @example
 * ```ts
 * const at = scratchBlock(kernels, 1024); // then copy operands to at..at+1024
 * ```
 */
export function scratchBlock(kernels: WasmKernels, bytes: number): number {
  if (scratch !== undefined && scratch.kernels === kernels && scratch.bytes >= bytes) return scratch.ptr;
  if (scratch !== undefined && scratch.kernels === kernels) kernels.arena.release(scratch.ptr);
  scratch = undefined;
  const size = Math.max(4096, 2 ** Math.ceil(Math.log2(bytes)));
  const ptr = kernels.arena.alloc(size);
  if (ptr < 0) return -1;
  scratch = { kernels, ptr, bytes: size };
  return ptr;
}

/**
 * This realm's kernels and the offset of a scratch block of at least
 * `bytes` ({@link scratchBlock}) when `applies`; undefined where the
 * caller's plain loop runs instead: `applies` false, no WebAssembly SIMD,
 * or memory that cannot grow.
 *
 * @example
 * ```ts
 * const w = scratchKernels(x.length % 4 === 0, x.length * 4);
 * if (w === undefined) return loop(x);
 * ```
 */
export function scratchKernels(applies: boolean, bytes: number): { readonly kernels: WasmKernels; readonly at: number } | undefined {
  const kernels = applies ? wasmKernels() : undefined;
  if (kernels === undefined) return undefined;
  const at = scratchBlock(kernels, bytes);
  return at < 0 ? undefined : { kernels, at };
}
