// The control block shared by the CPU backend's kernel threads
// (kernel-threads.ts) and their worker module (kernel-worker.ts): int32
// slots of one SharedArrayBuffer.
import { JOB, runTernaryRows } from "./ternary-wasm.js";
import type { KernelFunctions } from "./wasm-kernels.js";

/** Products a team job holds at most (q, k and v take three). */
const MAX_PRODUCTS = 4;
const ARGS = 2;
const PRODUCTS = ARGS + MAX_PRODUCTS * JOB.length;
const MEMBER = PRODUCTS + 6 + MAX_PRODUCTS;
const MAX_WORKERS = 32;
const MAX_CHUNKS = 160;

/** Slot numbers (and the op values). */
export const KCTRL = {
  /** Bumped by the main thread for each job (and for stop). */
  job: 0,
  /** The op of the current job: run chunks of a ternary job, or stop. */
  op: 1,
  opRun: 1,
  opStop: -1,
  /** The descriptions of the job's products (ternary-wasm.ts JOB), one after the other. */
  args: ARGS,
  maxProducts: MAX_PRODUCTS,
  /** How many products the job has. */
  products: PRODUCTS,
  /** The job's chunks in all; the output rows per chunk (every product is cut into chunks of this many rows, its last one shorter). */
  chunks: PRODUCTS + 1,
  chunk: PRODUCTS + 2,
  /** The next chunk to take (every thread takes one at a time with Atomics.add). */
  next: PRODUCTS + 3,
  /** Fault injection for tests: milliseconds each worker sleeps after taking a chunk, before running it (a descheduled worker on a busy machine); 0 in use. */
  stall: PRODUCTS + 4,
  /** The first chunk of product p (chunks are numbered product after product). */
  firstChunk: PRODUCTS + 5,
  /** The job worker w takes part in (set by the calling thread for the workers it counted ready). */
  member: MEMBER,
  /** The last job worker w finished. */
  done: MEMBER + MAX_WORKERS,
  /** 1 once worker w has instantiated the kernels and waits for jobs. */
  ready: MEMBER + 2 * MAX_WORKERS,
  /** 1 + the chunk that threw in worker w, 0 if none (the calling thread redoes it; the team stops). */
  error: MEMBER + 3 * MAX_WORKERS,
  /** The last job whose chunk c a worker finished, so the calling thread knows which chunks are done without waiting for a whole worker. */
  chunkDone: MEMBER + 4 * MAX_WORKERS,
  /** 1 while worker w sleeps between jobs (Atomics.wait), 0 while it spins or works. */
  asleep: MEMBER + 4 * MAX_WORKERS + MAX_CHUNKS,
  /** Chunks a job has at most: about 4 per thread (kernel-threads.ts), 33 threads, plus one per product. */
  maxChunks: MAX_CHUNKS,
  slots: MEMBER + 5 * MAX_WORKERS + MAX_CHUNKS,
  /** Workers the block has room for. */
  maxWorkers: MAX_WORKERS,
} as const;

/** The product that chunk `c` of the current job belongs to (see KCTRL.firstChunk). */
function chunkProduct(ctrl: Int32Array, c: number): number {
  const products = ctrl[KCTRL.products];
  let p = 0;
  while (p + 1 < products && c >= ctrl[KCTRL.firstChunk + p + 1]) p++;
  return p;
}

/**
 * Runs chunk `c` of the current job with the kernels `k`: the rows of its
 * product that the chunk covers (products are cut into chunks of
 * {@link KCTRL}.chunk rows, numbered product after product, each product's
 * last chunk shorter), from `jobs`, the products' descriptions. Returns the
 * rows run. The calling thread and the workers run chunks alike.
 *
 * @example
 * ```ts
 * const rows = runTernaryChunk(kernels, ctrl, p.jobs, c);
 * ```
 */
export function runTernaryChunk(k: KernelFunctions, ctrl: Int32Array, jobs: readonly ArrayLike<number>[], c: number): number {
  const p = chunkProduct(ctrl, c);
  const job = jobs[p];
  const chunk = ctrl[KCTRL.chunk];
  const r0 = (c - ctrl[KCTRL.firstChunk + p]) * chunk;
  const r1 = Math.min(job[JOB.N], r0 + chunk);
  runTernaryRows(k, job, r0, r1);
  return r1 - r0;
}

/**
 * Views of the job descriptions in a control block, one per product slot
 * (made once per thread: the block does not move).
 *
 * @example
 * ```ts
 * const jobs = jobViews(ctrl);
 * runTernaryChunk(fns, ctrl, jobs, c);
 * ```
 */
export function jobViews(ctrl: Int32Array): readonly Int32Array[] {
  return Array.from({ length: MAX_PRODUCTS }, (_, p) => ctrl.subarray(ARGS + p * JOB.length, ARGS + (p + 1) * JOB.length));
}

/** What a kernel worker starts with. */
export interface KernelWorkerData {
  readonly ctrl: SharedArrayBuffer;
  readonly index: number;
  /** The main thread's compiled kernel module and its shared memory. */
  readonly module: unknown;
  readonly memory: unknown;
}
