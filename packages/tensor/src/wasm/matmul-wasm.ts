// The driver of the WebAssembly float32 matmul kernels (matmul-kernel.ts):
// copies the operands into wasm memory, padded so the kernels have no tails
// (zero columns and rows add nothing), runs the 4-row tiles and then the
// 1-row tiles, and copies the result out. For A·B, B is copied row-major and
// each 8-column panel is packed into a scratch just before its rows run. Float32 only; float64 stays on the
// JavaScript kernels. Results equal matmulReference up to float32 rounding
// (the kernels accumulate in float32 lanes, the reference in float64).
//
// Shapes: a [M, K], b [K, N] ("nn") or bt [N, K] ("nt"), c [M, N], all row-major.
import type { FloatArray, MatmulKernel } from "../cpu/matmul.js";
import { matmulBlocked } from "../cpu/matmul.js";
import { wasmKernels } from "./wasm-kernels.js";

/** Copies rows [rows, cols] of `src` into `dst` at float index `at` with row length `ld`, zeroing the padding and `padRows` more rows. */
function copyPadded(src: Float32Array, rows: number, cols: number, dst: Float32Array, at: number, ld: number, padRows: number): void {
  if (ld === cols) dst.set(src.subarray(0, rows * cols), at);
  else {
    for (let r = 0; r < rows; r++) {
      dst.set(src.subarray(r * cols, (r + 1) * cols), at + r * ld);
      dst.fill(0, at + r * ld + cols, at + (r + 1) * ld);
    }
  }
  if (padRows > 0) dst.fill(0, at + rows * ld, at + (rows + padRows) * ld);
}

/**
 * Floats added to each row of B's copy for "nn": with N = 4096 a row is 16 KiB, so the rows that packPanels
 * reads down a panel all fall in the same L1 sets; 64 bytes more spreads them (measured at [64,1024]x[1024,4096]:
 * 16.9 ms with the pad, 19.1 ms without).
 */
const B_ROW_PAD = 16;

function copyOut(src: Float32Array, at: number, ld: number, c: Float32Array, M: number, N: number): void {
  if (ld === N) c.set(src.subarray(at, at + M * N));
  else for (let m = 0; m < M; m++) c.set(src.subarray(at + m * ld, at + m * ld + N), m * N);
}

function run(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  M: number,
  N: number,
  K: number,
  transposed: boolean,
): boolean {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array) || !(c instanceof Float32Array)) return false;
  const kernels = wasmKernels();
  if (kernels === undefined) return false;
  if (M === 0 || N === 0) return true;
  if (K === 0) {
    c.fill(0, 0, M * N);
    return true;
  }
  // "nt" steps k by 4 and tiles 4 rows of Bt; "nn" steps k by 1 and tiles 8 columns of B
  const Kp = transposed ? Math.ceil(K / 4) * 4 : K;
  const Np = Math.ceil(N / (transposed ? 4 : 8)) * (transposed ? 4 : 8);
  const ldb = transposed ? Kp : Np + B_ROW_PAD;
  const { arena } = kernels;
  const pa = arena.alloc(M * Kp * 4);
  const pb = arena.alloc((transposed ? Np : K) * ldb * 4);
  const pc = arena.alloc(M * Np * 4);
  const pp = transposed ? 0 : arena.alloc(K * 32);
  try {
    if (pa < 0 || pb < 0 || pc < 0 || pp < 0) return false;
    const f32 = new Float32Array(arena.memory.buffer);
    copyPadded(a, M, K, f32, pa / 4, Kp, 0);
    if (transposed) copyPadded(b, N, K, f32, pb / 4, Kp, Np - N);
    else copyPadded(b, K, N, f32, pb / 4, ldb, 0);
    const M4 = M - (M % 4);
    const lda = Kp * 4;
    const ldc = Np * 4;
    if (transposed) {
      kernels.nt4x2(pa, lda, pb, Kp * 4, pc, ldc, M4, Np / 2, Kp / 4);
      kernels.nt1x4(pa + M4 * lda, lda, pb, Kp * 4, pc + M4 * ldc, ldc, M - M4, Np / 4, Kp / 4);
    } else {
      // one 8-column panel at a time: packed into a 32·K-byte scratch (in L1/L2 while all rows of A pass over it)
      for (let p = 0; p < Np / 8; p++) {
        kernels.packPanels(pb + 32 * p, ldb * 4, pp, K, 1);
        kernels.nn4(pa, lda, pp, 32, pc + 32 * p, ldc, M4, 1, K, 0);
        kernels.nn1(pa + M4 * lda, lda, pp, 32, pc + M4 * ldc + 32 * p, ldc, M - M4, 1, K, 0);
      }
    }
    copyOut(f32, pc / 4, Np, c, M, N);
    return true;
  } finally {
    arena.release(pa);
    arena.release(pb);
    arena.release(pc);
    if (pp > 0) arena.release(pp);
  }
}

/**
 * `c[M,N] = a[M,K] · b[K,N]` (all float32, row-major) with the WebAssembly
 * SIMD kernel. Returns false, computing nothing, for float64 operands, without
 * WebAssembly SIMD, or when wasm memory cannot grow: run a JavaScript kernel then.
 *
 * @example
 * ```ts
 * const c = new Float32Array(4);
 * matmulWasmNN(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), c, 2, 2, 2); // true; c = [1, 2, 3, 4]
 * ```
 */
export function matmulWasmNN(a: FloatArray, b: FloatArray, c: FloatArray, M: number, N: number, K: number): boolean {
  return run(a, b, c, M, N, K, false);
}

/**
 * `c[M,N] = a[M,K] · bt[N,K]ᵀ` (dot form, the contract of matmulBlocked)
 * with the WebAssembly SIMD kernel; false when it does not apply (see
 * {@link matmulWasmNN}).
 *
 * @example
 * ```ts
 * const c = new Float32Array(1);
 * matmulWasmNT(new Float32Array([1, 2]), new Float32Array([3, 4]), c, 1, 1, 2); // true; c = [11]
 * ```
 */
export function matmulWasmNT(a: FloatArray, bt: FloatArray, c: FloatArray, M: number, N: number, K: number): boolean {
  return run(a, bt, c, M, N, K, true);
}

/**
 * A {@link MatmulKernel} (dot form): the WebAssembly kernel where it applies,
 * matmulBlocked otherwise. Runs on a row range when given subarrays, so a
 * worker pool can split rows across threads (each thread has its own module).
 *
 * @example
 * ```ts
 * cpuBackend({ matmul: matmulWasm }); // what the CPU backend does by default when SIMD validates
 * ```
 */
export const matmulWasm: MatmulKernel = (a, bt, c, M, N, K) => {
  if (!matmulWasmNT(a, bt, c, M, N, K)) matmulBlocked(a, bt, c, M, N, K);
};
