// The worker module of the float matmul pool (matmul-pool.ts): waits on a
// shared control block, runs the pool's kernel (matmulWasm, in this worker's
// own wasm module and memory, or matmulBlocked with `simd: false`) on its run
// of rows of C over shared memory, and signals completion.
import { workerData } from "node:worker_threads";
import { matmulBlocked } from "../cpu/matmul.js";
import { matmulWasm } from "../wasm/matmul-wasm.js";

/** What a matmul worker starts with. */
interface MatmulWorkerData {
  readonly ctrl: SharedArrayBuffer;
  readonly a: SharedArrayBuffer;
  readonly bt: SharedArrayBuffer;
  readonly c: SharedArrayBuffer;
  readonly index: number;
  readonly simd: boolean;
}

// ctrl layout (Int32), as matmul-pool.ts writes it: [0] job number, [1] dtype (0 f32, 1 f64, -1 stop),
// [2] M, [3] N, [4] K, [8 + 2w], [9 + 2w] worker w's row range, [32 + w] the last job worker w finished.
const data = workerData as MatmulWorkerData;
const ctrl = new Int32Array(data.ctrl);
const index = data.index;
const kernel = data.simd ? matmulWasm : matmulBlocked;
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  const dtype = ctrl[1];
  if (dtype === -1) break;
  const N = ctrl[3];
  const K = ctrl[4];
  const r0 = ctrl[8 + 2 * index];
  const r1 = ctrl[9 + 2 * index];
  if (r1 > r0) {
    const view = (b: SharedArrayBuffer): Float32Array | Float64Array => (dtype === 1 ? new Float64Array(b) : new Float32Array(b));
    const a = view(data.a);
    const bt = view(data.bt);
    const c = view(data.c);
    kernel(a.subarray(r0 * K, r1 * K), bt.subarray(0, N * K), c.subarray(r0 * N, r1 * N), r1 - r0, N, K);
  }
  Atomics.store(ctrl, 32 + index, seen);
  Atomics.notify(ctrl, 32 + index);
}
