// A Node worker-thread pool for the CPU backend's float matmul: the rows of
// the product are split between the main thread and the workers, which run
// the same kernel on shared memory (matmulWasm: the WebAssembly SIMD kernel
// for float32, in each thread's own module instance; matmulBlocked for
// float64, or for everything with `simd: false`), so the result is identical
// to that kernel on one thread. The workers run the module matmul-worker.ts.
// Opt-in (pass it to cpuBackend); Node only.
//
// Shapes: A [M, K] and Bt [N, K] row-major, C [M, N]; each thread computes a
// run of rows of C (a multiple of 4, both kernels' tile height, so every row
// lands in the same kind of tile as on one thread).
import type { Worker } from "node:worker_threads";
import { ArgumentError } from "../errors.js";
import { startWorker } from "./worker-url.js";
import { type FloatArray, type MatmulKernel, matmulBlocked } from "../cpu/matmul.js";
import { matmulWasm } from "../wasm/matmul-wasm.js";

/** Options of {@link createMatmulPool}. */
export interface MatmulPoolOptions {
  /** Threads in all, the main one included (default 2). */
  readonly threads?: number;
  /** Products below this many flops (2·M·N·K) stay on the main thread: a hand-off costs about 50 µs (default 2e6). */
  readonly minFlops?: number;
  /**
   * Run float32 products on the WebAssembly SIMD kernel (`matmulWasm`, where
   * SIMD validates) on every thread (default true); `false` keeps every
   * thread on `matmulBlocked`. Either way the result equals that kernel on one thread.
   */
  readonly simd?: boolean;
}

/**
 * A running pool; `run` has the signature of the CPU matmul kernel.
 *
 * @example
 * ```ts
 * const pool = await createMatmulPool({ threads: 2 });
 * setBackend(cpuBackend({ matmul: pool.run }));
 * // ... train ...
 * await pool.close();
 * ```
 */
export interface MatmulPool {
  readonly threads: number;
  /** `c = a · btᵀ` (see matmulBlocked, matmulWasm), split across the threads when large enough. */
  readonly run: MatmulKernel;
  /** Stops the workers. */
  close(): Promise<void>;
}

// ctrl layout (Int32): [0] job number, [1] dtype (0 f32, 1 f64, -1 stop), [2] M, [3] N, [4] K,
// [8 + 2w], [9 + 2w] worker w's row range, [32 + w] the last job worker w finished.
const JOB = 0;
const DTYPE = 1;
const DONE = 32;
const MAX_WORKERS = 16;

/** A shared buffer that grows in place (views made without a length track it). */
function growable(): SharedArrayBuffer {
  return new SharedArrayBuffer(0, { maxByteLength: 2 ** 31 });
}

/** Grows `buffer` to at least `bytes`, always to a multiple of 8 bytes (whole-buffer Float64Array views follow float32 use). */
function ensure(buffer: SharedArrayBuffer, bytes: number): void {
  const need = Math.ceil(bytes / 8) * 8;
  if (buffer.byteLength < need) buffer.grow(Math.max(need, Math.min(2 ** 31, buffer.byteLength * 2)));
}

/**
 * Starts `threads - 1` worker threads for the CPU matmul. The pool holds no
 * reference that keeps the process alive; close it to stop the workers.
 *
 * @example
 * ```ts
 * const pool = await createMatmulPool();
 * const fast = cpuBackend({ matmul: pool.run });
 * matmul(randn([256, 512], { backend: fast }), randn([512, 256], { backend: fast })); // both cores
 * ```
 */
export async function createMatmulPool(opts: MatmulPoolOptions = {}): Promise<MatmulPool> {
  const threads = opts.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WORKERS + 1) {
    throw new ArgumentError(`createMatmulPool: threads must be an integer from 1 to ${MAX_WORKERS + 1}, got ${threads}`);
  }
  const minFlops = opts.minFlops ?? 2e6;
  const simd = opts.simd ?? true;
  const kernel: MatmulKernel = simd ? matmulWasm : matmulBlocked;
  const ctrlBuffer = new SharedArrayBuffer(4 * 64);
  const ctrl = new Int32Array(ctrlBuffer);
  const aBuffer = growable();
  const btBuffer = growable();
  const cBuffer = growable();
  const workers: Worker[] = [];
  for (let w = 0; w < threads - 1; w++) {
    const worker = startWorker("matmul-worker", { ctrl: ctrlBuffer, a: aBuffer, bt: btBuffer, c: cBuffer, index: w, simd });
    workers.push(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once("online", resolve);
      worker.once("error", reject);
    });
    worker.unref(); // only once online: an unreferenced starting worker would let the process exit first
  }
  let job = 0;

  const run: MatmulKernel = (a: FloatArray, bt: FloatArray, c: FloatArray, M: number, N: number, K: number): void => {
    if (workers.length === 0 || M < 8 || 2 * M * N * K < minFlops) {
      kernel(a, bt, c, M, N, K);
      return;
    }
    const f64 = a instanceof Float64Array;
    const bytes = f64 ? 8 : 4;
    // rows per thread, a multiple of 4; the main thread takes the first run
    const per = Math.ceil(M / threads / 4) * 4;
    const mainRows = Math.min(M, per);
    ensure(aBuffer, M * K * bytes);
    ensure(btBuffer, N * K * bytes);
    ensure(cBuffer, M * N * bytes);
    const view = (buffer: SharedArrayBuffer): FloatArray => (f64 ? new Float64Array(buffer) : new Float32Array(buffer));
    const sa = view(aBuffer);
    const sbt = view(btBuffer);
    const sc = view(cBuffer);
    sa.set(a.subarray(mainRows * K, M * K), mainRows * K);
    sbt.set(bt.subarray(0, N * K));
    ctrl[DTYPE] = f64 ? 1 : 0;
    ctrl[2] = M;
    ctrl[3] = N;
    ctrl[4] = K;
    workers.forEach((_, w) => {
      const r0 = Math.min(M, mainRows + w * per);
      ctrl[8 + 2 * w] = r0;
      ctrl[9 + 2 * w] = Math.min(M, r0 + per);
    });
    job = (job + 1) | 0;
    Atomics.store(ctrl, JOB, job);
    Atomics.notify(ctrl, JOB);
    kernel(a.subarray(0, mainRows * K), bt, c.subarray(0, mainRows * N), mainRows, N, K);
    for (let w = 0; w < workers.length; w++) {
      // sleep only on a value seen as "not done yet": if the worker finishes in
      // between, wait() sees a different value and returns at once (the 100 ms
      // timeout is a second guard: the loop re-reads the flag either way)
      for (let seen = Atomics.load(ctrl, DONE + w); seen !== job; seen = Atomics.load(ctrl, DONE + w)) Atomics.wait(ctrl, DONE + w, seen, 100);
    }
    c.set(sc.subarray(mainRows * N, M * N), mainRows * N);
  };

  return {
    threads,
    run,
    async close(): Promise<void> {
      const exits = workers.map((w) => new Promise<void>((resolve) => w.once("exit", () => resolve())));
      for (const w of workers) w.ref(); // keep the process alive until they are gone
      ctrl[DTYPE] = -1;
      job = (job + 1) | 0;
      Atomics.store(ctrl, JOB, job);
      Atomics.notify(ctrl, JOB);
      await Promise.all(exits);
      workers.length = 0;
    },
  };
}
