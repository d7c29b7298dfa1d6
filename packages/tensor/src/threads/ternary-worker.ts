// The worker module of the ternary thread pool (ternary-pool.ts): waits on a
// shared control block, runs the CPU backend's own ternary kernel
// (`ternaryMatmulCpu`, whatever it selects: the WebAssembly kernel, in this
// worker's own module instance and memory, where it applies; or
// `ternaryMatmulCpuJs` when the pool was started with `simd: false`) on its run of output rows, and
// signals completion. Weights arrive once per weight array on a message port
// (shared memory, never copied); activations and scales in shared buffers.
// Between jobs it spins briefly before sleeping: a futex wake-up costs tens
// of microseconds, a decode step hands off ~170 products.
import { type MessagePort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { ternaryMatmulCpu, ternaryMatmulCpuJs } from "../quant/ternary-matmul.js";
import { CTRL, type TernaryWorkerData, type WeightsMessage } from "./ternary-protocol.js";
import { spinUntilChanged } from "./spin.js";

const data = workerData as TernaryWorkerData;
const ctrl = new Int32Array(data.ctrl);
const port: MessagePort = data.port;
const index = data.index;
const kernel = data.simd ? ternaryMatmulCpu : ternaryMatmulCpuJs;
const weights = new Map<number, Uint32Array>();
/** Stable row slices (the kernel caches its prepared form per array). */
const slices = new Map<string, Uint32Array>();

function drain(): void {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const msg = m.message as WeightsMessage;
    weights.set(msg.id, new Uint32Array(msg.buffer, msg.byteOffset, msg.length));
  }
}

/** Runs this worker's rows of the current job. */
function runJob(): void {
  const M = ctrl[CTRL.m];
  const K = ctrl[CTRL.k];
  const groupSize = ctrl[CTRL.groupSize];
  const G = ctrl[CTRL.groups];
  const n0 = ctrl[CTRL.ranges + 2 * index];
  const n1 = ctrl[CTRL.ranges + 2 * index + 1];
  if (n1 <= n0) return;
  const id = ctrl[CTRL.weights];
  let w = weights.get(id);
  while (w === undefined) {
    drain();
    w = weights.get(id);
  }
  const wpr = Math.ceil(K / 16);
  const key = `${id}:${n0}:${n1}`;
  let sub = slices.get(key);
  if (sub === undefined) {
    sub = w.subarray(n0 * wpr, n1 * wpr);
    slices.set(key, sub);
  }
  const x = ctrl[CTRL.xKind] === 0 ? new Int8Array(data.x, 0, M * K) : new Float32Array(data.x, 0, M * K);
  const xScale = new Float32Array(data.xScale, 0, ctrl[CTRL.xScaleLength]);
  const wScale = new Float32Array(data.wScale, n0 * G * 4, (n1 - n0) * G);
  const out = new Float32Array(data.out, M * n0 * 4, M * (n1 - n0));
  kernel(x, xScale, sub, wScale, M, n1 - n0, K, groupSize, out);
}

let seen = 0;
for (;;) {
  seen = spinUntilChanged(ctrl, CTRL.job, seen, Infinity);
  if (ctrl[CTRL.op] === CTRL.stop) break;
  try {
    runJob();
  } catch {
    // a trap or a throw (a bad job): say so, so the main thread computes the product itself instead of waiting forever
    Atomics.store(ctrl, CTRL.error + index, 1);
  }
  Atomics.store(ctrl, CTRL.done + index, seen);
  Atomics.notify(ctrl, CTRL.done + index);
}
port.close();
