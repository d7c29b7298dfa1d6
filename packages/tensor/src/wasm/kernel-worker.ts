// A worker of the CPU backend's kernel threads (kernel-threads.ts): it
// instantiates the main thread's compiled kernel module over the main
// thread's shared wasm memory, says it is ready, then runs its rows of each
// ternary job the main thread prepared there (ternary-wasm.ts), reading
// weights, activations and scales in place: chunks of rows taken from a
// shared counter, so faster threads take more (a job may hold several
// products of one activation: chunks are numbered product after product), each marked done when
// finished (the main thread redoes a chunk that is late). Between jobs it spins briefly
// before sleeping (spin.ts). In Node it starts with its data as
// `workerData` (through `process.getBuiltinModule`: it imports no `node:`
// module); in a browser (a module worker of a cross-origin isolated page)
// with its data as the first message.
import { KCTRL, type KernelWorkerData, jobViews, runTernaryChunk } from "./kernel-threads-ctrl.js";
import { nodeBuiltin } from "./node-worker.js";
import { type KernelFunctions, kernelsOver } from "./wasm-kernels.js";
import type { WasmMemory, WasmModule } from "./webassembly-api.js";
import { spinUntilChanged } from "../threads/spin.js";

/** Takes chunks of the current job until none are left (or one throws: then says which, and stops). */
function takeChunks(ctrl: Int32Array, jobs: readonly Int32Array[], fns: KernelFunctions, index: number, seen: number): void {
  const chunks = ctrl[KCTRL.chunks];
  for (let c = Atomics.add(ctrl, KCTRL.next, 1); c < chunks; c = Atomics.add(ctrl, KCTRL.next, 1)) {
    const stall = ctrl[KCTRL.stall];
    if (stall > 0) Atomics.wait(ctrl, KCTRL.stall, stall, stall);
    try {
      runTernaryChunk(fns, ctrl, jobs, c);
      Atomics.store(ctrl, KCTRL.chunkDone + c, seen);
    } catch {
      // a trap (a bad job): say where, so the calling thread redoes these rows instead of waiting forever
      Atomics.store(ctrl, KCTRL.error + index, c + 1);
      return;
    }
  }
}

/** Serves jobs until told to stop (never returns otherwise: this worker's loop). */
function serve(data: KernelWorkerData): void {
  const ctrl = new Int32Array(data.ctrl);
  const fns = kernelsOver(data.module as WasmModule, data.memory as WasmMemory);
  const index = data.index;
  const jobs = jobViews(ctrl);
  let seen = Atomics.load(ctrl, KCTRL.job);
  Atomics.store(ctrl, KCTRL.ready + index, 1);
  for (;;) {
    seen = spinUntilChanged(ctrl, KCTRL.job, seen, Infinity, KCTRL.asleep + index);
    if (ctrl[KCTRL.op] === KCTRL.opStop) break;
    if (Atomics.load(ctrl, KCTRL.member + index) === seen) takeChunks(ctrl, jobs, fns, index, seen);
    Atomics.store(ctrl, KCTRL.done + index, seen);
    Atomics.notify(ctrl, KCTRL.done + index);
  }
}

const threads = nodeBuiltin<{ readonly workerData: unknown }>("node:worker_threads");
if (threads !== undefined) serve(threads.workerData as KernelWorkerData);
else {
  const scope = globalThis as unknown as { onmessage: ((e: { readonly data: KernelWorkerData }) => void) | null };
  scope.onmessage = (e) => {
    scope.onmessage = null;
    serve(e.data);
  };
}
