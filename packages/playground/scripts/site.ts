// Building and serving the playground's static files: esbuild bundles the
// page and the worker (from the packages' sources), static/ is copied beside
// them; a small static file server serves the folder on 127.0.0.1.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where `npm run playground` puts the site by default. */
export const DEFAULT_OUT_DIR = join(root, "dist", "site");

/** What {@link buildSite} reports. */
export interface BuiltSite {
  readonly outDir: string;
  /** Bytes of each file written. */
  readonly files: Record<string, number>;
}

/**
 * Bundles the page and the worker and copies the static files into `outDir`.
 *
 * @example
 * ```ts
 * const site = await buildSite("/tmp/site"); // site.files["main.js"] > 0
 * ```
 */
export async function buildSite(outDir: string = DEFAULT_OUT_DIR, opts: { minify?: boolean } = {}): Promise<BuiltSite> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { main: join(root, "src", "main.ts"), worker: join(root, "src", "worker.ts") },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@bitnet-quantize/source"], // the packages' sources; every entry used is browser-safe (no node: imports)
    minify: opts.minify ?? true,
    keepNames: true, // error class names (BackendError, GgufModelError) stay readable in messages
    sourcemap: "linked",
    logLevel: "warning",
  });
  for (const f of readdirSync(join(root, "static"))) copyFileSync(join(root, "static", f), join(outDir, f));
  const files: Record<string, number> = {};
  for (const f of readdirSync(outDir)) files[f] = statSync(join(outDir, f)).size;
  return { outDir, files };
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
};

/**
 * Serves the files of `dir` on 127.0.0.1 (port 0: a free one); resolves to
 * the server and its URL. Only GET of files under `dir`; anything else is 404.
 *
 * @example
 * ```ts
 * const { url, server } = await serveDir("/tmp/site", 0); // url "http://127.0.0.1:PORT/"
 * server.close();
 * ```
 */
export async function serveDir(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(base, path === "/" ? "index.html" : path));
    if (req.method !== "GET" || !(file === base || file.startsWith(base + sep))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
