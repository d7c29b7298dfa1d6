// The control block shared by the CPU backend's kernel threads
// (kernel-threads.ts) and their worker module (kernel-worker.ts): int32
// slots of one SharedArrayBuffer.
import { JOB } from "./ternary-wasm.js";

/** Slot numbers (and the op values). */
export const KCTRL = {
  /** Bumped by the main thread for each job (and for stop). */
  job: 0,
  /** The op of the current job: run rows of a ternary job, or stop. */
  op: 1,
  opRun: 1,
  opStop: -1,
  /** The job's description (ternary-wasm.ts JOB). */
  args: 2,
  /** The next output row to take (every thread takes `chunk` rows at a time with Atomics.add), the rows in all, the chunk. */
  next: 2 + JOB.length,
  rows: 3 + JOB.length,
  chunk: 4 + JOB.length,
  /** Fault injection for tests: milliseconds each worker sleeps after taking a chunk, before running it (a descheduled worker on a busy machine); 0 in use. */
  stall: 31,
  /** The job worker w takes part in (set by the calling thread for the workers it counted ready). */
  member: 32,
  /** The last job worker w finished. */
  done: 96,
  /** 1 once worker w has instantiated the kernels and waits for jobs. */
  ready: 160,
  /** 1 + the first row of the chunk that threw in worker w, 0 if none (the calling thread redoes it; the team stops). */
  error: 224,
  /** The last job whose chunk c a worker finished (c = first row / chunk), so the calling thread knows which chunks are done without waiting for a whole worker. */
  chunkDone: 288,
  /** 1 while worker w sleeps between jobs (Atomics.wait), 0 while it spins or works. */
  asleep: 448,
  /** Chunks a job has at most: about 4 per thread (kernel-threads.ts), 33 threads. */
  maxChunks: 160,
  slots: 480,
  /** Workers the block has room for. */
  maxWorkers: 32,
} as const;

/** What a kernel worker starts with. */
export interface KernelWorkerData {
  readonly ctrl: SharedArrayBuffer;
  readonly index: number;
  /** The main thread's compiled kernel module and its shared memory. */
  readonly module: unknown;
  readonly memory: unknown;
}
