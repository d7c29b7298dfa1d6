// A benchmark child script bundled from the TypeScript sources with esbuild
// into a temporary folder, so that it runs on plain `node` as the built
// packages would: no tsx loader in the process, whose own memory (about 70
// MiB) would otherwise count in the child's resident memory. The worker
// modules (tensor/src/threads/*-worker.ts, the pools'; tensor/src/wasm/*-worker.ts,
// the CPU backend's kernel threads) are bundled next to it, where their
// starters look for them (`./ternary-worker.js`, `./kernel-worker.js` beside
// the code that starts them). `webgpu` (a native addon) stays an import of the
// installed package. Not the measurement.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const workerDirs = ["threads", "wasm"].map((d) => join(here, "..", "..", "packages", "tensor", "src", d));

/**
 * A bundled child: the script to run with `node`, and how to delete it.
 *
 * @example
 * ```ts
 * const { script, dispose }: BundledChild = await bundleChild("inference-child.ts");
 * ```
 */
export interface BundledChild {
  readonly script: string;
  dispose(): void;
}

/** The installed `webgpu` package's entry as a file URL (a bundle in a temporary folder cannot find it by name), else its name. */
function resolveWebgpu(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve("webgpu")).href;
  } catch {
    return "webgpu";
  }
}

/**
 * Bundles `entry` (a `.ts` file in this folder) and the worker modules into
 * a new temporary folder (ESM, platform node, the sources through the
 * `@bitnet-quantize/source` condition).
 *
 * @example
 * ```ts
 * const child = await bundleChild("inference-child.ts");
 * execFileSync(process.execPath, [child.script]);
 * child.dispose();
 * ```
 */
export async function bundleChild(entry: string): Promise<BundledChild> {
  const dir = mkdtempSync(join(tmpdir(), "bitnet-quantize-bench-child-"));
  const name = entry.replace(/\.ts$/, "");
  const workers = Object.fromEntries(workerDirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith("-worker.ts")).map((f) => [f.slice(0, -".ts".length), join(d, f)])));
  const webgpu = resolveWebgpu();
  try {
    await build({
      entryPoints: { [name]: join(here, entry), ...workers },
      outdir: dir,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["@bitnet-quantize/source"],
      logLevel: "error",
      plugins: [{ name: "webgpu-external", setup: (b) => b.onResolve({ filter: /^webgpu$/ }, () => ({ path: webgpu, external: true })) }],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { script: join(dir, `${name}.js`), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
