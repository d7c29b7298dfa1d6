// Node's built-in modules without a static `node:` import, so that code
// reachable from the browser-safe main entry can still start worker threads
// in Node (`process.getBuiltinModule`, Node 20.16+; undefined elsewhere), and
// the entry of a worker module: the compiled `.js`, or, from TypeScript
// sources (tests, `--conditions=@bitnet-quantize/source`), a data: URL that
// registers tsx's loader first (Node 20 does not apply `--import` loaders to
// a worker's entry).

/**
 * A Node built-in module (`"node:worker_threads"`, `"node:os"`, ...), or
 * undefined outside Node or before Node 20.16.
 *
 * @example
 * ```ts
 * const os = nodeBuiltin<{ availableParallelism(): number }>("node:os");
 * os?.availableParallelism(); // 2 on this machine
 * ```
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  const p = (globalThis as { readonly process?: { readonly getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return p?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where to start the worker module `name` (no extension) that sits next to
 * the module at `here` (its `import.meta.url`), and the `execArgv` it needs.
 *
 * @example
 * ```ts
 * const { url, execArgv } = workerEntry("kernel-worker", import.meta.url);
 * ```
 */
export function workerEntry(name: string, here: string): { readonly url: URL; readonly execArgv: readonly string[] } {
  const fromSource = here.endsWith(".ts");
  const url = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, here);
  if (!fromSource) return { url, execArgv: [] };
  const mod = nodeBuiltin<{ createRequire(from: string): { resolve(id: string): string } }>("node:module");
  if (mod === undefined) return { url, execArgv: [] };
  // tsx's ESM API, located from here (a data: URL module cannot resolve bare names)
  const tsxApi = new URL("dist/esm/api/index.mjs", new URL(".", `file://${mod.createRequire(here).resolve("tsx/package.json")}`)).href;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(url.href)});`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(boot)}`), execArgv: ["--conditions=@bitnet-quantize/source"] };
}
