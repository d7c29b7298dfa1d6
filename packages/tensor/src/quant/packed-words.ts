// Packed ternary words without a second copy: an array to fill that lives
// where the CPU kernels read it (the kernels' shared wasm memory, when there
// is one), and a tensor that takes such an array over instead of copying it.
// What a loader of large models uses (bitnet's importGguf), so that a model
// is resident once.
import type { Backend } from "../backend.js";
import { getBackend } from "../backend-registry.js";
import { CpuStorage, cpuBackendCanAdopt } from "../cpu/cpu-backend.js";
import { ArgumentError } from "../errors.js";
import { tensor } from "../creation.js";
import { type Tensor, fromStorage } from "../tensor.js";
import { residentWords } from "../wasm/ternary-wasm.js";

/**
 * A zeroed `Uint32Array` of `length` words to fill with packed codes: in the
 * CPU kernels' shared wasm memory where there is one (the WebAssembly kernel
 * then reads it in place), else a plain array.
 *
 * @example
 * ```ts
 * const words = allocPackedWords(4 * wordsPerRow(32)); // zeroed; fill with packed codes
 * words.length; // 8
 * ```
 */
export function allocPackedWords(length: number): Uint32Array {
  if (!Number.isInteger(length) || length < 0) throw new ArgumentError(`allocPackedWords: length must be a non-negative integer, got ${length}`);
  return residentWords(length) ?? new Uint32Array(length);
}

/**
 * The `[rows, wordsPerRow]` uint32 tensor of packed `words`, taking the
 * array over on a CPU backend (no copy: do not write to `words` afterwards;
 * a `sharedMemory` CPU backend takes over only arrays in shared memory);
 * other backends upload a copy.
 *
 * @example
 * ```ts
 * const words = packTernaryArray([1, 0, -1, 1], 2, 2);
 * const packed = { words: packedWordsTensor(words, 2, wordsPerRow(2)), shape: [2, 2] };
 * packed.words.shape; // [2, 1]
 * ```
 */
export function packedWordsTensor(words: Uint32Array, rows: number, wordsPerRow: number, backend: Backend = getBackend()): Tensor<"uint32"> {
  if (words.length !== rows * wordsPerRow) throw new ArgumentError(`packedWordsTensor: ${words.length} words for ${rows} x ${wordsPerRow}`);
  if (cpuBackendCanAdopt(backend, words)) return fromStorage(new CpuStorage(backend, words), [rows, wordsPerRow], "uint32");
  return tensor(words, [rows, wordsPerRow], "uint32", backend);
}
