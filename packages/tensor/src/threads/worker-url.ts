// How a pool's worker module is started: the compiled `.js` next to this
// file, or, when running from TypeScript sources, the `.ts` file under tsx's
// loader (see `workerEntry`). Node only.
import { type Transferable, Worker } from "node:worker_threads";
import { workerEntry } from "../wasm/node-worker.js";

/**
 * Starts the worker module `name` (without extension) of this folder.
 *
 * @example
 * ```ts
 * const w = startWorker("ternary-worker", { ctrl });
 * ```
 */
export function startWorker(name: string, workerData: unknown, transferList: readonly Transferable[] = []): Worker {
  const { url, execArgv } = workerEntry(name, import.meta.url);
  return new Worker(url, { workerData, transferList: [...transferList], ...(execArgv.length > 0 ? { execArgv: [...execArgv] } : {}) });
}
