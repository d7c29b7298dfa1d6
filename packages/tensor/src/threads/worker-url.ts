// Where a pool's worker module lives, and how to start it: the compiled
// `.js` next to this file, or, when running from TypeScript sources (tests,
// `--conditions=@bitnet-quantize/source`), the `.ts` file, imported after registering the tsx
// loader in the worker (Node 20 does not apply `--import` loaders to a
// worker's entry). Node only.
import { createRequire } from "node:module";
import { type Transferable, Worker } from "node:worker_threads";

/**
 * Starts the worker module `name` (without extension) of this folder.
 *
 * @example
 * ```ts
 * const w = startWorker("ternary-worker", { ctrl });
 * ```
 */
export function startWorker(name: string, workerData: unknown, transferList: readonly Transferable[] = []): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, import.meta.url);
  if (!fromSource) return new Worker(url, { workerData, transferList: [...transferList] });
  // tsx's ESM API, located from here (a data: URL module cannot resolve bare names)
  const tsxApi = new URL("dist/esm/api/index.mjs", new URL(".", `file://${createRequire(import.meta.url).resolve("tsx/package.json")}`)).href;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData, transferList: [...transferList], execArgv: ["--conditions=@bitnet-quantize/source"] });
}
