// The shared control block and messages between the ternary pool and its
// workers (ternary-pool.ts, ternary-worker.ts). Int32 slots of `ctrl`.
import type { MessagePort } from "node:worker_threads";

/** Slot numbers in the control block (and the stop op). */
export const CTRL = {
  job: 0,
  op: 1,
  stop: -1,
  m: 2,
  n: 3,
  k: 4,
  groupSize: 5,
  groups: 6,
  xKind: 7,
  xScaleLength: 8,
  weights: 9,
  /** Worker w's output rows: [ranges + 2w, ranges + 2w + 1). */
  ranges: 16,
  /** The last job worker w finished: done + w. */
  done: 64,
  /** 1 once a job threw in worker w: error + w (the main thread then computes the product alone). */
  error: 96,
  slots: 128,
  /** The op: run the kernel over the shared buffers. */
  opBuffers: 1,
} as const;

/** What a worker starts with. */
export interface TernaryWorkerData {
  readonly ctrl: SharedArrayBuffer;
  readonly x: SharedArrayBuffer;
  readonly xScale: SharedArrayBuffer;
  readonly wScale: SharedArrayBuffer;
  readonly out: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly index: number;
  /** Run the WebAssembly kernel where it applies (ternaryMatmulCpu), else the JavaScript ones (ternaryMatmulCpuJs). */
  readonly simd: boolean;
}

/** A weight array shared with the workers once, under an id. */
export interface WeightsMessage {
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly length: number;
}
