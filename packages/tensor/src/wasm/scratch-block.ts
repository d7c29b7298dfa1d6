// One operand block in the kernels' memory that the host-array kernels
// (row-dots.ts, silu-wasm.ts) copy their operands into, kept between calls:
// a decode step calls them hundreds of times, and an alloc and a release
// per call cost more than the kernels themselves at these sizes. Calls are
// synchronous and never nest, so one block serves them all.
import type { WasmKernels } from "./wasm-kernels.js";

let scratch: { kernels: WasmKernels; ptr: number; bytes: number } | undefined;

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
