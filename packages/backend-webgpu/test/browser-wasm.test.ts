// The WebAssembly kernels' browser check: bundles test/browser/wasm-page.ts
// with esbuild, serves it from 127.0.0.1 on a free port, and drives Debian's
// Chromium through playwright-core: the conformance suite on the CPU backend
// with its wasm SIMD kernels (and with them off) and the kernels against
// their references, in Chromium's engine. Skips, saying why, where
// /usr/bin/chromium is absent. (It lives here because this package holds the
// browser tooling: esbuild, playwright-core.)
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import type { WasmBrowserReport } from "./browser/wasm-page.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
const here = dirname(fileURLToPath(import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the wasm browser check: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!hasChromium)("browser check: headless Chromium, WebAssembly SIMD kernels", () => {
  let server: Server | undefined;
  const profile = mkdtempSync(join(tmpdir(), "bitnet-wasm-chromium-"));
  afterAll(() => {
    server?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("passes the conformance suite with and without the wasm kernels, and the kernels match their references", { timeout: 300_000 }, async () => {
    const bundle = await build({
      entryPoints: [join(here, "browser", "wasm-page.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["@bitnet-quantize/source"],
      write: false,
      logLevel: "silent",
    });
    const js = bundle.outputFiles[0]?.text ?? "";
    const html = '<!doctype html><meta charset="utf-8"><title>bitnet-quantize wasm</title><script type="module" src="/page.js"></script>';
    server = createServer((req, res) => {
      const body = req.url === "/page.js" ? js : req.url === "/" ? html : null;
      if (body === null) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": req.url === "/page.js" ? "text/javascript" : "text/html" }).end(body);
    });
    const s = server;
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const port = (s.address() as AddressInfo).port;
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const logs: string[] = [];
      page.on("console", (m) => logs.push(m.text()));
      page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => "__wasmReport" in globalThis, undefined, { timeout: 60_000 });
      const report = await page.evaluate(() => (globalThis as { __wasmReport?: Promise<unknown> }).__wasmReport);
      const r = report as WasmBrowserReport | { error: string };
      if ("error" in r) throw new Error(`page failed: ${r.error}\n${logs.join("\n")}`);
      console.log(`wasm browser check on ${r.userAgent}: SIMD ${r.simd}, ${r.cases} cases x 2 backends, ${r.failures.length} failures, matmul rel err ${r.matmulRelErr.toExponential(2)}`);
      expect(r.simd).toBe(true);
      expect(r.failures).toEqual([]);
      expect(r.ternaryMismatches).toEqual([]);
      expect(r.matmulRelErr).toBeLessThan(1e-5);
    } finally {
      await context.close();
    }
  });
});
