// A worker of the CPU backend's kernel threads (kernel-threads.ts): it
// instantiates the main thread's compiled kernel module over the main
// thread's shared wasm memory, says it is ready, then runs its rows of each
// ternary job the main thread prepared there (ternary-wasm.ts), reading
// weights, activations and scales in place. Between jobs it spins briefly
// before sleeping (spin.ts). In Node it starts with its data as
// `workerData` (through `process.getBuiltinModule`: it imports no `node:`
// module); in a browser (a module worker of a cross-origin isolated page)
// with its data as the first message.
import { KCTRL, type KernelWorkerData } from "./kernel-threads-ctrl.js";
import { nodeBuiltin } from "./node-worker.js";
import { runTernaryRows } from "./ternary-wasm.js";
import { kernelsOver } from "./wasm-kernels.js";
import type { WasmMemory, WasmModule } from "./webassembly-api.js";
import { spinUntilChanged } from "../threads/spin.js";

/** Serves jobs until told to stop (never returns otherwise: this worker's loop). */
function serve(data: KernelWorkerData): void {
  const ctrl = new Int32Array(data.ctrl);
  const fns = kernelsOver(data.module as WasmModule, data.memory as WasmMemory);
  const index = data.index;
  let seen = Atomics.load(ctrl, KCTRL.job);
  Atomics.store(ctrl, KCTRL.ready + index, 1);
  for (;;) {
    seen = spinUntilChanged(ctrl, KCTRL.job, seen, Infinity);
    if (ctrl[KCTRL.op] === KCTRL.opStop) break;
    try {
      runTernaryRows(fns, ctrl.subarray(KCTRL.args, KCTRL.ranges), ctrl[KCTRL.ranges + 2 * index], ctrl[KCTRL.ranges + 2 * index + 1]);
    } catch {
      // a trap (a bad job): say so, so the calling thread redoes these rows instead of waiting forever
      Atomics.store(ctrl, KCTRL.error + index, 1);
    }
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
