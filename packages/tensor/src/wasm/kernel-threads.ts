// The CPU backend's own kernel threads, with a shared wasm memory: on by
// default in Node 20.16+ (workers started through `process.getBuiltinModule`,
// so the main entry keeps no `node:` import and still bundles for
// browsers); opt-in on cross-origin isolated browser pages (module workers
// from `new URL("./kernel-worker.js", import.meta.url)`: an app's bundler,
// or the app itself, must serve that file beside this module's code, which
// is why it is not on by default there). The team starts lazily, at the first product large
// enough to split, without blocking: until a worker says it is ready, its
// rows run on the calling thread. Each large ternary product is prepared
// once in the shared memory (ternary-wasm.ts) and its output rows are split
// between the calling thread and the ready workers, so the result is
// bit-identical to one thread. Workers are unreferenced: they never keep a
// process alive.
//
// A busy machine: the calling thread never waits long for a worker. A chunk
// a worker took but has not finished within a few chunk-times (another
// process has its core) is redone on the calling thread; the job's blocks
// stay allocated until that worker is done with them; a worker still in an
// older job sits out the next ones; and after a worker that was awake at the
// job's start and is still not done once its chunk was redone (descheduled,
// not just slow to wake up from its sleep) the next jobs, 2^14..2^21 output
// rows of them (about 8..1024 single products of a decode step; doubling
// while it keeps happening), run on the calling thread alone, so
// the workers go to sleep and leave the cores to others. Measured here (the
// 168 products of a decode step of the large-shaped model, two threads, a
// CPU-bound process running beside): 340-550 ms per step before (waiting
// for descheduled workers), 26-32 ms after (one thread: 30-33 ms); on a
// quiet machine 17.4-18.2 ms (one thread: 30 ms).
import { KCTRL, type KernelWorkerData, runTernaryChunk } from "./kernel-threads-ctrl.js";
import { nodeBuiltin, workerEntry } from "./node-worker.js";
import { JOB, type TernaryJob, copyTernaryOut, prepareTernaryJobs, releaseTernaryJob, runTernaryRows, ternaryWasmApplies } from "./ternary-wasm.js";
import { type WasmKernels, wasmKernels } from "./wasm-kernels.js";
import { BackendError } from "../errors.js";
import { spinUntilEqual, spinUntilEqualWithin } from "../threads/spin.js";
import { type TernaryKernel, type TernaryManyKernel, ternaryMatmulManyCpu } from "../quant/ternary-matmul.js";

/** The slice of a Node `Worker` used here. */
interface NodeWorker {
  ref(): void;
  unref(): void;
  on(event: "error" | "exit", listener: (arg: unknown) => void): void;
}

/**
 * What {@link KernelThreads} needs of Node's `worker_threads` module.
 *
 * @example
 * ```ts
 * const wt: WorkerThreadsModule = await import("node:worker_threads");
 * ```
 */
export interface WorkerThreadsModule {
  readonly Worker: new (url: URL, opts: { readonly workerData: unknown; readonly execArgv?: string[] }) => NodeWorker;
}

/**
 * Threads (the calling one included) the CPU backend uses by default: the
 * machine's available parallelism, at most 4, in Node 20.16+ with a shared
 * wasm memory; 1 elsewhere (browsers included: there, kernel threads are
 * opt-in, on cross-origin isolated pages).
 *
 * @example
 * ```ts
 * defaultKernelThreads(); // 2 on a 2-core machine
 * ```
 */
export function defaultKernelThreads(): number {
  const kernels = wasmKernels();
  if (kernels === undefined || !kernels.arena.shared) return 1;
  if (nodeBuiltin("node:worker_threads") !== undefined) {
    const os = nodeBuiltin<{ availableParallelism?(): number; cpus(): readonly unknown[] }>("node:os");
    return Math.max(1, Math.min(4, os?.availableParallelism?.() ?? os?.cpus().length ?? 1));
  }
  // Browsers: opt-in (`cpuBackend({ threads: 2 })` on a cross-origin isolated page that serves
  // kernel-worker.js; a page that does not would log a failed worker load). Measured in headless Chromium 156
  // here: a 4096x1536 decode product took 0.15-0.18 ms on two threads against 0.21-0.24 ms on one.
  return 1;
}

/** A browser's module Worker constructor, where this page may share memory with it (cross-origin isolated); else undefined. */
function browserWorker(): BrowserWorkerConstructor | undefined {
  const g = globalThis as { readonly Worker?: BrowserWorkerConstructor; readonly crossOriginIsolated?: boolean };
  return typeof g.Worker === "function" && g.crossOriginIsolated === true ? g.Worker : undefined;
}

/** The slice of a browser `Worker` used here. */
interface BrowserWorker {
  postMessage(message: unknown): void;
  addEventListener(type: "error", listener: () => void): void;
  terminate(): void;
}

type BrowserWorkerConstructor = new (url: URL, opts: { readonly type: "module" }) => BrowserWorker;

/**
 * A team of kernel worker threads over this realm's shared wasm memory.
 *
 * @example
 * ```ts
 * const team = kernelThreads(2);
 * team?.runRows(kernels, job); // splits rows once its worker is ready
 * ```
 */
export class KernelThreads {
  readonly workers: number;
  readonly #ctrl: Int32Array;
  readonly #node: NodeWorker[] = [];
  readonly #browser: BrowserWorker[] = [];
  #job = 0;
  #failed = false;
  #rescued = 0;
  /** Output rows to run on the calling thread alone before using the workers again, and the length of the last such stretch. */
  #backoff = 0;
  #penalty = 0;
  /** Milliseconds per row of the calling thread's last chunks. */
  #rowMs = 0;
  /** Which chunks of the current job the calling thread ran itself (reused: a decode step runs 168 jobs). */
  readonly #mine = new Uint8Array(KCTRL.maxChunks);
  /** Jobs whose blocks a late worker may still write into, released once it is done with them. */
  readonly #held: { readonly job: number; readonly members: readonly number[]; readonly temps: readonly number[] }[] = [];

  /**
   * Starts `workers` workers (asynchronously: they become ready on their
   * own) with Node's worker_threads, or, given a browser's Worker
   * constructor, as module workers.
   */
  constructor(kernels: WasmKernels, workers: number, threadsModule: WorkerThreadsModule | BrowserWorkerConstructor) {
    this.workers = Math.min(workers, KCTRL.maxWorkers);
    this.#ctrl = new Int32Array(new SharedArrayBuffer(4 * KCTRL.slots));
    // a worker that fails never becomes ready: its rows stay on the calling thread
    const fail = (): void => {
      this.#failed = true;
    };
    for (let i = 0; i < this.workers; i++) {
      const data: KernelWorkerData = { ctrl: this.#ctrl.buffer as SharedArrayBuffer, index: i, module: kernels.module, memory: kernels.arena.memory };
      if (typeof threadsModule === "function") {
        // a literal URL, so that bundlers that follow `new URL(..., import.meta.url)` ship the worker
        const w = new threadsModule(new URL("./kernel-worker.js", import.meta.url), { type: "module" });
        w.addEventListener("error", fail);
        w.postMessage(data);
        this.#browser.push(w);
        continue;
      }
      const { url, execArgv } = workerEntry("kernel-worker", import.meta.url);
      const w = new threadsModule.Worker(url, { workerData: data, ...(execArgv.length > 0 ? { execArgv: [...execArgv] } : {}) });
      w.on("error", fail);
      w.unref();
      this.#node.push(w);
    }
  }

  /**
   * Stops the workers (after which every product runs on the calling
   * thread); resolves once Node's workers have exited.
   *
   * @example
   * ```ts
   * await team.close();
   * ```
   */
  async close(): Promise<void> {
    this.#failed = true;
    const exits = this.#node.map((w) => new Promise<void>((resolve) => w.on("exit", () => resolve())));
    for (const w of this.#node) w.ref(); // keep the process alive until they are gone
    this.#ctrl[KCTRL.op] = KCTRL.opStop;
    this.#job = (this.#job + 1) | 0;
    Atomics.store(this.#ctrl, KCTRL.job, this.#job);
    Atomics.notify(this.#ctrl, KCTRL.job);
    for (const w of this.#browser) w.terminate();
    await Promise.all(exits);
    this.#node.length = 0;
    this.#browser.length = 0;
  }

  /** Workers ready for jobs now. */
  get ready(): number {
    if (this.#failed) return 0;
    let n = 0;
    for (let i = 0; i < this.workers; i++) n += Atomics.load(this.#ctrl, KCTRL.ready + i);
    return n;
  }

  /**
   * Runs every output row of a prepared job's products on the calling
   * thread and the idle ready workers, each taking chunks of rows from a
   * shared counter; returns when every row is done. The calling thread
   * never waits long for a worker: a chunk a worker has not finished within
   * a few chunk-times (a descheduled worker, on a busy machine) is redone
   * here (the same values: every thread computes a row alike), and a worker
   * still busy with an older job is left out of the next ones until it is
   * idle. Returns true when the job's blocks may be released now (all
   * workers are done with it); false when a late worker may still write
   * into them: the team then releases them itself once it is done. A chunk
   * that threw in a worker is redone on the calling thread, and the team is
   * not used again. At most {@link KCTRL}.maxProducts products.
   *
   * @example
   * ```ts
   * const free = team.runRows(kernels, p);
   * finishTernaryJob(kernels, p, out, 0, N, free);
   * ```
   */
  runRows(kernels: WasmKernels, p: TernaryJob): boolean {
    const ctrl = this.#ctrl;
    const jobs = p.jobs;
    if (jobs.length > KCTRL.maxProducts) throw new BackendError(`kernel threads: a job holds at most ${KCTRL.maxProducts} products, got ${jobs.length}`);
    this.#sweep(kernels);
    let rows = 0;
    for (const job of jobs) rows += job[JOB.N];
    const ready: number[] = [];
    // counted in rows, not jobs: a job of several products (q, k and v) is that much longer
    if (this.#backoff > 0) this.#backoff -= rows;
    else if (!this.#failed) {
      // only workers done with every earlier job: one still in an old job's loop would take this job's counter
      for (let i = 0; i < this.workers; i++) if (Atomics.load(ctrl, KCTRL.ready + i) === 1 && Atomics.load(ctrl, KCTRL.done + i) === this.#job) ready.push(i);
    }
    if (ready.length === 0) {
      for (const job of jobs) runTernaryRows(kernels, job, 0, job[JOB.N]);
      return true;
    }
    // chunks of whole 4-row tiles, about 4 per thread, taken from a shared counter by every thread: a thread
    // that starts late or runs slow (these vCPUs are not always two cores) takes fewer
    const chunk = Math.max(4, Math.ceil(rows / ((ready.length + 1) * 4) / 4) * 4);
    let chunks = 0;
    jobs.forEach((job, i) => {
      ctrl.set(job, KCTRL.args + i * JOB.length);
      ctrl[KCTRL.firstChunk + i] = chunks;
      chunks += Math.ceil(job[JOB.N] / chunk);
    });
    ctrl[KCTRL.products] = jobs.length;
    ctrl[KCTRL.chunks] = chunks;
    ctrl[KCTRL.chunk] = chunk;
    Atomics.store(ctrl, KCTRL.next, 0);
    const job = (this.#job + 1) | 0;
    this.#job = job;
    for (const w of ready) {
      ctrl[KCTRL.member + w] = job;
      ctrl[KCTRL.error + w] = 0;
    }
    ctrl[KCTRL.op] = KCTRL.opRun;
    // a worker asleep now wakes up late (a futex wake-up): that lateness is no sign of a busy machine
    const woken = ready.filter((w) => Atomics.load(ctrl, KCTRL.asleep + w) === 1);
    Atomics.store(ctrl, KCTRL.job, job);
    Atomics.notify(ctrl, KCTRL.job);
    const mine = this.#mine.fill(0, 0, chunks);
    const run = (c: number): number => runTernaryChunk(kernels, ctrl, jobs, c);
    let failed: Error | undefined;
    const t0 = performance.now();
    let own = 0;
    try {
      for (let c = Atomics.add(ctrl, KCTRL.next, 1); c < chunks; c = Atomics.add(ctrl, KCTRL.next, 1)) {
        own += run(c);
        mine[c] = 1;
      }
    } catch (e) {
      failed = e instanceof Error ? e : new BackendError("kernel threads: a job threw a non-Error value");
      Atomics.store(ctrl, KCTRL.next, chunks); // no more chunks for anyone
    }
    if (failed !== undefined) {
      // the workers may still be in their last chunk: wait before the caller releases the job's blocks
      for (const w of ready) spinUntilEqual(ctrl, KCTRL.done + w, job);
      throw failed;
    }
    if (own > 0) this.#rowMs = (performance.now() - t0) / own;
    // a worker's chunk takes about a chunk-time: wait up to a few, then do it here
    const grace = Math.max(0.1, 3 * this.#rowMs * chunk);
    const before = this.#rescued;
    try {
      for (let c = 0; c < chunks; c++) {
        if (mine[c] === 1 || spinUntilEqualWithin(ctrl, KCTRL.chunkDone + c, job, grace)) continue;
        run(c);
        this.#rescued++;
      }
    } catch (e) {
      // a chunk a worker could not do throws here too (a bad job): wait for the workers, then report it
      for (const w of ready) spinUntilEqual(ctrl, KCTRL.done + w, job);
      this.#checkErrors(ready);
      throw e;
    }
    // a worker that did its chunks says it is done a moment later (after its next take finds none)
    const late = ready.filter((w) => !spinUntilEqualWithin(ctrl, KCTRL.done + w, job, grace));
    const free = late.length === 0;
    // a worker that was awake and is still not done after its chunk was redone here is descheduled (another
    // process has the core; not a slow wake-up from sleep): run the next products here alone, more of them
    // each time it happens again, so that the workers sleep and leave the cores alone
    if (this.#rescued > before && late.some((w) => !woken.includes(w))) this.#backoff = this.#penalty = Math.min(BACKOFF_MAX, Math.max(BACKOFF_MIN, 2 * this.#penalty));
    else this.#penalty >>= 1;
    if (free) this.#checkErrors(ready);
    else this.#held.push({ job, members: ready, temps: p.temps });
    return free;
  }

  /** Stops using the team if a chunk threw in one of `workers` (it was redone on the calling thread). */
  #checkErrors(workers: readonly number[]): void {
    for (const w of workers) if (Atomics.load(this.#ctrl, KCTRL.error + w) !== 0) this.#failed = true;
  }

  /**
   * Fault injection for tests: each worker sleeps `ms` milliseconds after
   * taking a chunk, before running it, as a worker descheduled on a busy
   * machine would (0 turns it off).
   *
   * @example
   * ```ts
   * team.stallWorkers(200); // the next products' worker chunks are late: the calling thread redoes them
   * ```
   */
  stallWorkers(ms: number): void {
    Atomics.store(this.#ctrl, KCTRL.stall, ms);
  }

  /** Chunks of rows the calling thread redid because a worker was late (a measure of how busy the machine is). */
  get rescued(): number {
    return this.#rescued;
  }

  /** Releases the blocks of held jobs whose workers are done with them (a later job id in `done`; ids wrap). */
  #sweep(kernels: WasmKernels): void {
    if (this.#held.length === 0) return;
    const ctrl = this.#ctrl;
    const keep = this.#held.filter((h) => h.members.some((w) => ((Atomics.load(ctrl, KCTRL.done + w) - h.job) | 0) < 0));
    for (const h of this.#held) if (!keep.includes(h)) for (const t of h.temps) kernels.arena.release(t);
    this.#held.splice(0, this.#held.length, ...keep);
  }
}

/** Output rows run without the workers after a job with a late worker: at first, and at most (a decode step of the large-shaped model has about 2^18.5). */
const BACKOFF_MIN = 2 ** 14;
const BACKOFF_MAX = 2 ** 21;


let team: KernelThreads | null | undefined;

/**
 * This realm's kernel thread team with `threads - 1` workers, started on
 * first call (later calls get the same team, whatever they ask); undefined
 * where kernel threads cannot run or `threads` < 2.
 *
 * @example
 * ```ts
 * const t = kernelThreads(defaultKernelThreads());
 * ```
 */
export function kernelThreads(threads: number): KernelThreads | undefined {
  if (threads < 2) return undefined;
  if (team === undefined) {
    const kernels = wasmKernels();
    const starter = nodeBuiltin<WorkerThreadsModule>("node:worker_threads") ?? browserWorker();
    team = kernels !== undefined && kernels.arena.shared && starter !== undefined ? new KernelThreads(kernels, threads - 1, starter) : null;
  }
  return team ?? undefined;
}

/** Products below this many weight·token terms (M·N·K) stay on the calling thread: a hand-off costs tens of microseconds. */
export const THREADED_MIN_WORK = 2 ** 21;

/**
 * The CPU backend's ternary kernel with kernel threads: a large product
 * (at least {@link THREADED_MIN_WORK} terms and 8 rows per thread) that the
 * WebAssembly kernel takes is split over this realm's kernel thread team
 * (started at the first such product; `threads` defaults to
 * {@link defaultKernelThreads}); anything else, and everything until a
 * worker is ready, runs `ternaryMatmulCpu` on the calling thread. Results
 * are bit-identical either way.
 *
 * @example
 * ```ts
 * const kernel = threadedTernaryMatmul(2);
 * kernel(xCodes, xScale, words, wScale, M, N, K, K, out);
 * ```
 */
export function threadedTernaryMatmul(threads?: number): TernaryKernel {
  const many = threadedTernaryMatmulMany(threads);
  return (x, xScale, w, wScale, M, N, K, groupSize, out) => many(x, xScale, [{ w, wScale, N, out }], M, K, groupSize);
}

/**
 * {@link threadedTernaryMatmul} for several products of one activation (q,
 * k and v; gate and up): the activations are laid out once and the
 * products' rows go to the team as one job (up to {@link KCTRL}.maxProducts
 * products a job), so the threads meet once instead of once per product;
 * small work runs `ternaryMatmulManyCpu` on the calling thread. Each output
 * is bit-identical to that product's own kernel.
 *
 * @example
 * ```ts
 * const many = threadedTernaryMatmulMany(2);
 * many(xCodes, xScale, [{ w: qw, wScale: qs, N, out: q }, { w: kw, wScale: ks, N, out: k }], M, K, K);
 * ```
 */
export function threadedTernaryMatmulMany(threads?: number): TernaryManyKernel {
  let n = threads;
  return (x, xScale, products, M, K, groupSize) => {
    n ??= defaultKernelThreads();
    if (products.length > KCTRL.maxProducts) {
      const self = threadedTernaryMatmulMany(n);
      for (let i = 0; i < products.length; i += KCTRL.maxProducts) self(x, xScale, products.slice(i, i + KCTRL.maxProducts), M, K, groupSize);
      return;
    }
    let rows = 0;
    for (const p of products) rows += p.N;
    const big = n > 1 && M * rows * K >= THREADED_MIN_WORK && rows >= 8 * n && K > 0 && ternaryWasmApplies(x, K, groupSize);
    const t = big ? kernelThreads(n) : undefined;
    const kernels = wasmKernels();
    const p = t === undefined || kernels === undefined || t.ready === 0 ? undefined : prepareTernaryJobs(kernels, x, xScale, products, M, K, groupSize);
    if (t === undefined || kernels === undefined || p === undefined) {
      ternaryMatmulManyCpu(x, xScale, products, M, K, groupSize);
      return;
    }
    let free = true;
    try {
      free = t.runRows(kernels, p);
      products.forEach((product, i) => copyTernaryOut(kernels, p.jobs[i], product.out, 0, product.N));
    } finally {
      if (free) releaseTernaryJob(kernels, p);
    }
  };
}
