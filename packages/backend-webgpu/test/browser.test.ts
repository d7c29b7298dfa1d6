// The browser check: bundles test/browser/page.ts with esbuild, serves it from
// 127.0.0.1 on a free port, and drives Debian's Chromium (SwiftShader WebGPU)
// through playwright-core. Skips, saying why, where /usr/bin/chromium is absent.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import type { BrowserReport } from "./browser/page.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--enable-unsafe-webgpu",
  "--no-sandbox",
  "--headless",
  "--disable-gpu-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
const here = dirname(fileURLToPath(import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the browser check: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!hasChromium)("browser check: headless Chromium, navigator.gpu", () => {
  let server: Server | undefined;
  const profile = mkdtempSync(join(tmpdir(), "bitnet-webgpu-chromium-"));
  afterAll(() => {
    server?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("runs the ternary matmul, float ops and training steps on the page and matches the CPU", { timeout: 180_000 }, async () => {
    const bundle = await build({
      entryPoints: [join(here, "browser", "page.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["@bitnet-quantize/source"],
      write: false,
      logLevel: "silent",
    });
    const js = bundle.outputFiles[0]?.text ?? "";
    const html = '<!doctype html><meta charset="utf-8"><title>bitnet-quantize webgpu</title><script type="module" src="/page.js"></script>';
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
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => "__webgpuReport" in globalThis, undefined, { timeout: 30_000 });
      const report = await page.evaluate(() => (globalThis as { __webgpuReport?: Promise<unknown> }).__webgpuReport);
      const r = report as BrowserReport | { error: string };
      if ("error" in r) throw new Error(`page failed: ${r.error}\n${logs.join("\n")}`);
      console.log(`browser check on ${r.adapter} (${r.featureLevel}): ${JSON.stringify(r.errors)}`);
      for (const [name, err] of Object.entries(r.errors)) expect(err, name).toBeLessThan(1e-4);
      expect(r.lossesGpu.length).toBe(3);
      expect(r.lossesGpu[2]).toBeLessThan(r.lossesGpu[0]);
    } finally {
      await context.close();
    }
  });
});
