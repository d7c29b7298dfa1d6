// The harness of the Chromium page checks (browser.test.ts,
// browser-wasm.test.ts, browser-threads.test.ts): bundles entry points with esbuild from the
// packages' sources, serves them (and a page loading the first) from
// 127.0.0.1 with the headers asked for, opens the page in Debian's Chromium
// through playwright-core and returns what the page leaves in
// globalThis.__report.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** The page's report, or the error it ended with, and its console lines. */
export interface PageRun {
  readonly report: unknown;
  readonly logs: readonly string[];
}

/**
 * Bundles `entries` (output name without `.js` -> source file; the first
 * is the page's module script), serves them with `headers` on every
 * response, opens the page in Chromium (with `flags` added to the usual
 * ones, e.g. `--enable-unsafe-webgpu`), and returns the page's
 * `globalThis.__report` once it is set.
 *
 * @example
 * ```ts
 * const { report } = await runChromiumPage({ page: join(here, "browser", "wasm-page.ts") });
 * ```
 */
export async function runChromiumPage(entries: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>> = {}, flags: readonly string[] = []): Promise<PageRun> {
  const bundle = await build({
    entryPoints: { ...entries },
    outdir: "/out",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@bitnet-quantize/source"],
    write: false,
    logLevel: "silent",
  });
  const files = new Map<string, string>();
  for (const f of bundle.outputFiles) files.set(f.path.slice("/out".length), f.text);
  const first = Object.keys(entries)[0] ?? "page";
  const html = `<!doctype html><meta charset="utf-8"><title>bitnet-quantize check</title><script type="module" src="/${first}.js"></script>`;
  const server = createServer((req, res) => {
    const body = req.url === "/" ? html : files.get(req.url ?? "");
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...headers, "content-type": req.url === "/" ? "text/html" : "text/javascript" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const profile = mkdtempSync(join(tmpdir(), "bitnet-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: [...flags, ...FLAGS], headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const logs: string[] = [];
    page.on("console", (m) => logs.push(m.text()));
    page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => "__report" in globalThis, undefined, { timeout: 120_000 });
    const report = await page.evaluate(() => (globalThis as { __report?: Promise<unknown> }).__report);
    return { report, logs };
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
