// A Node worker-thread pool for the CPU backend's packed ternary matmul: the
// output rows (weight rows) are split between the main thread and the
// workers, each of which runs the backend's own single-threaded kernel
// (`ternaryMatmulCpu`, WebAssembly where it applies; `ternaryMatmulCpuJs`
// with `simd: false`) on its run of rows over shared memory, so the result
// is identical to one thread. Weights are shared with the workers once per
// weight array (copied into shared memory once unless they live there
// already). With the WebAssembly kernels and a shared wasm memory (Node),
// the pool is instead its own team of the CPU backend's kernel threads
// (wasm/kernel-threads.ts: each product prepared once in the shared memory,
// rows taken in chunks by every thread, nothing copied per call); products
// the wasm kernel does not take (float activations) then run on the calling
// thread. Opt-in (pass `run` to cpuBackend); Node only.
//
// Shapes: x [M, K], xScale [M] or [M, G], packed w [N, ceil(K/16)],
// wScale [N, G], out [M, N]; each thread computes out[:, n0..n1).
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { TypedArray } from "../dtype.js";
import { ArgumentError, BackendError } from "../errors.js";
import { type TernaryKernel, ternaryMatmulCpu, ternaryMatmulCpuJs } from "../quant/ternary-matmul.js";
import { KernelThreads } from "../wasm/kernel-threads.js";
import { finishTernaryJob, prepareTernaryJob, ternaryWasmApplies } from "../wasm/ternary-wasm.js";
import { type WasmKernels, wasmKernels } from "../wasm/wasm-kernels.js";
import { CTRL, type TernaryWorkerData, type WeightsMessage } from "./ternary-protocol.js";
import { spinUntilEqual } from "./spin.js";
import { startWorker } from "./worker-url.js";

/** Options of {@link createTernaryPool}. */
export interface TernaryPoolOptions {
  /** Threads in all, the main one included (default 2). */
  readonly threads?: number;
  /** Products below this many weight·token terms (M·N·K) stay on the main thread: a hand-off costs about 50 µs (default 2^21). */
  readonly minWork?: number;
  /**
   * Run the WebAssembly SIMD kernel where it applies, as cpuBackend does by
   * default (default true: with a shared wasm memory the pool is a team of
   * kernel threads over it); `false` keeps every thread on the JavaScript
   * kernels. Results are identical either way.
   */
  readonly simd?: boolean;
}

/**
 * A running pool; `run` has the signature of the CPU ternary kernel.
 *
 * @example
 * ```ts
 * const pool = await createTernaryPool({ threads: 2 });
 * setBackend(cpuBackend({ ternaryMatmul: pool.run }));
 * // ... generate ...
 * await pool.close();
 * ```
 */
export interface TernaryPool {
  readonly threads: number;
  /** The ternary product (see ternaryMatmulCpu), split across the threads when large enough. */
  readonly run: TernaryKernel;
  /** Stops the workers. */
  close(): Promise<void>;
}

const MAX_WORKERS = (CTRL.done - CTRL.ranges) / 2 - 1;

/** What was thrown, as an Error (rethrown once the workers are done). */
function asError(e: unknown): Error {
  return e instanceof Error ? e : new BackendError(`ternary pool: ${String(e)}`);
}

/** A shared buffer that grows in place (views made without a length track it). */
/**
 * The pool as its own team of kernel threads over the shared wasm memory
 * (started and ready before it returns): large products the wasm kernel
 * takes are split by the team, anything else runs on the calling thread.
 */
async function teamPool(kernels: WasmKernels, threads: number, minWork: number): Promise<TernaryPool> {
  const team = threads > 1 ? new KernelThreads(kernels, threads - 1, { Worker }) : undefined;
  for (let i = 0; i < 600 && team !== undefined && team.ready < threads - 1; i++) await new Promise((r) => setTimeout(r, 50));
  if (team !== undefined && team.ready < threads - 1) {
    await team.close();
    throw new BackendError(`createTernaryPool: ${threads - 1 - team.ready} of ${threads - 1} workers did not start`);
  }
  const run: TernaryKernel = (x, xScale, w, wScale, M, N, K, groupSize, out) => {
    const p = team !== undefined && M * N * K >= minWork && N >= 8 * threads && K > 0 && ternaryWasmApplies(x, K, groupSize) ? prepareTernaryJob(kernels, x, xScale, w, wScale, M, N, K, groupSize) : undefined;
    if (p === undefined || team === undefined) {
      ternaryMatmulCpu(x, xScale, w, wScale, M, N, K, groupSize, out);
      return;
    }
    let free = true;
    try {
      free = team.runRows(kernels, p);
    } finally {
      finishTernaryJob(kernels, p, out, 0, N, free);
    }
  };
  return { threads, run, close: async () => team?.close() };
}

function growable(): SharedArrayBuffer {
  return new SharedArrayBuffer(0, { maxByteLength: 2 ** 31 });
}

function ensure(buffer: SharedArrayBuffer, bytes: number): void {
  if (buffer.byteLength < bytes) buffer.grow(Math.max(bytes, Math.min(2 ** 31, buffer.byteLength * 2)));
}

/**
 * Starts `threads - 1` worker threads for the CPU ternary kernel. The pool
 * holds no reference that keeps the process alive; close it to stop the
 * workers. Every weight array it sees stays shared with the workers until
 * the pool is closed.
 *
 * @example
 * ```ts
 * const pool = await createTernaryPool();
 * const fast = cpuBackend({ ternaryMatmul: pool.run });
 * model.generate(ids, { backend: fast }); // projections on both cores
 * ```
 */
export async function createTernaryPool(opts: TernaryPoolOptions = {}): Promise<TernaryPool> {
  const threads = opts.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WORKERS + 1) {
    throw new ArgumentError(`createTernaryPool: threads must be an integer from 1 to ${MAX_WORKERS + 1}, got ${threads}`);
  }
  const minWork = opts.minWork ?? 2 ** 21;
  const simd = opts.simd ?? true;
  const kernel: TernaryKernel = simd ? ternaryMatmulCpu : ternaryMatmulCpuJs;
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL.slots));
  const buffers = { x: growable(), xScale: growable(), wScale: growable(), out: growable() };
  const kernels = simd ? wasmKernels() : undefined;
  if (kernels !== undefined && kernels.arena.shared) return teamPool(kernels, threads, minWork);
  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  for (let w = 0; w < threads - 1; w++) {
    const channel = new MessageChannel();
    const data: TernaryWorkerData = { ctrl: ctrl.buffer, ...buffers, port: channel.port2, index: w, simd };
    const worker = startWorker("ternary-worker", data, [channel.port2]); // the port travels in workerData, transferred
    workers.push(worker);
    ports.push(channel.port1);
    await new Promise<void>((resolve, reject) => {
      worker.once("online", resolve);
      worker.once("error", reject);
    });
    worker.unref(); // only once online: an unreferenced starting worker would let the process exit first
    channel.port1.unref();
  }
  const shared = new WeakMap<Uint32Array, { id: number; words: Uint32Array }>();
  let nextId = 1;
  /** Stable row slices of the main thread's part (the kernel caches its prepared form per array). */
  const mainSlices = new WeakMap<Uint32Array, Map<number, Uint32Array>>();
  let job = 0;
  let outTmp = new Float32Array(0);

  const register = (w: Uint32Array): number => {
    let entry = shared.get(w);
    if (entry === undefined) {
      let words = w;
      if (!(w.buffer instanceof SharedArrayBuffer)) {
        words = new Uint32Array(new SharedArrayBuffer(w.byteLength));
        words.set(w);
      }
      entry = { id: nextId++, words };
      shared.set(w, entry);
      const msg: WeightsMessage = { id: entry.id, buffer: words.buffer as SharedArrayBuffer, byteOffset: words.byteOffset, length: words.length };
      for (const p of ports) p.postMessage(msg);
    }
    return entry.id;
  };

  const run: TernaryKernel = (x: TypedArray, xScale: TypedArray, w: Uint32Array, wScale: TypedArray, M: number, N: number, K: number, groupSize: number, out: Float32Array): void => {
    const isInt8 = x instanceof Int8Array;
    if (workers.length === 0 || M * N * K < minWork || N < 8 * threads || !(isInt8 || x instanceof Float32Array)) {
      kernel(x, xScale, w, wScale, M, N, K, groupSize, out);
      return;
    }
    // rows per thread, a multiple of 4 (the kernels' row tile); the main thread takes the first run
    const per = Math.ceil(N / threads / 4) * 4;
    const mainRows = Math.min(N, per);
    const setRanges = (): void => {
      workers.forEach((_, i) => {
        const n0 = Math.min(N, mainRows + i * per);
        ctrl[CTRL.ranges + 2 * i] = n0;
        ctrl[CTRL.ranges + 2 * i + 1] = Math.min(N, n0 + per);
      });
    };
    /** Waits for every worker; false when one of them threw (then the product is computed here alone). */
    const waitWorkers = (): boolean => {
      for (let i = 0; i < workers.length; i++) spinUntilEqual(ctrl, CTRL.done + i, job);
      let ok = true;
      for (let i = 0; i < workers.length; i++) {
        if (Atomics.load(ctrl, CTRL.error + i) !== 0) {
          Atomics.store(ctrl, CTRL.error + i, 0);
          ok = false;
        }
      }
      return ok;
    };
    const G = Math.ceil(K / groupSize);
    const wpr = Math.ceil(K / 16);
    const id = register(w);
    ensure(buffers.x, M * K * (isInt8 ? 1 : 4));
    ensure(buffers.xScale, xScale.length * 4);
    ensure(buffers.wScale, N * G * 4);
    ensure(buffers.out, M * N * 4);
    if (isInt8) new Int8Array(buffers.x, 0, M * K).set(x);
    else new Float32Array(buffers.x, 0, M * K).set(x);
    new Float32Array(buffers.xScale, 0, xScale.length).set(xScale);
    new Float32Array(buffers.wScale, 0, N * G).set(wScale.subarray(0, N * G));
    ctrl[CTRL.op] = CTRL.opBuffers;
    ctrl[CTRL.m] = M;
    ctrl[CTRL.n] = N;
    ctrl[CTRL.k] = K;
    ctrl[CTRL.groupSize] = groupSize;
    ctrl[CTRL.groups] = G;
    ctrl[CTRL.xKind] = isInt8 ? 0 : 1;
    ctrl[CTRL.xScaleLength] = xScale.length;
    ctrl[CTRL.weights] = id;
    setRanges();
    job = (job + 1) | 0;
    Atomics.store(ctrl, CTRL.job, job);
    Atomics.notify(ctrl, CTRL.job);
    // the main thread's rows, on a slice kept per weight array
    let slices = mainSlices.get(w);
    if (slices === undefined) {
      slices = new Map();
      mainSlices.set(w, slices);
    }
    let mine = slices.get(mainRows);
    if (mine === undefined) {
      mine = w.subarray(0, mainRows * wpr);
      slices.set(mainRows, mine);
    }
    if (outTmp.length < M * mainRows) outTmp = new Float32Array(M * mainRows);
    const tmp = outTmp.subarray(0, M * mainRows);
    let failed: Error | undefined;
    try {
      kernel(x, xScale, mine, wScale.subarray(0, mainRows * G), M, mainRows, K, groupSize, tmp);
    } catch (e) {
      failed = asError(e);
    }
    const ok = waitWorkers();
    if (failed !== undefined) throw failed;
    if (!ok) {
      // a worker threw: the whole product here, on one thread (throwing here too if the arguments are bad)
      kernel(x, xScale, w, wScale, M, N, K, groupSize, out);
      return;
    }
    for (let m = 0; m < M; m++) out.set(tmp.subarray(m * mainRows, (m + 1) * mainRows), m * N);
    const so = new Float32Array(buffers.out);
    for (let i = 0; i < workers.length; i++) {
      const n0 = ctrl[CTRL.ranges + 2 * i];
      const n1 = ctrl[CTRL.ranges + 2 * i + 1];
      const rows = n1 - n0;
      if (rows <= 0) continue;
      for (let m = 0; m < M; m++) out.set(so.subarray(M * n0 + m * rows, M * n0 + (m + 1) * rows), m * N + n0);
    }
  };

  return {
    threads,
    run,
    async close(): Promise<void> {
      const exits = workers.map((w) => new Promise<void>((resolve) => w.once("exit", () => resolve())));
      for (const w of workers) w.ref(); // keep the process alive until they are gone
      ctrl[CTRL.op] = CTRL.stop;
      job = (job + 1) | 0;
      Atomics.store(ctrl, CTRL.job, job);
      Atomics.notify(ctrl, CTRL.job);
      await Promise.all(exits);
      for (const p of ports) p.close();
      workers.length = 0;
    },
  };
}
