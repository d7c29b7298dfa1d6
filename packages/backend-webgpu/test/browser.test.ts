// The browser check: bundles test/browser/page.ts with esbuild, serves it from
// 127.0.0.1 and drives Debian's Chromium (SwiftShader WebGPU) through
// playwright-core (browser/chromium-page.ts). Skips, saying why, where
// /usr/bin/chromium is absent.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHROMIUM, runChromiumPage } from "./browser/chromium-page.js";
import type { BrowserReport } from "./browser/page.js";

const here = dirname(fileURLToPath(import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the browser check: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!hasChromium)("browser check: headless Chromium, navigator.gpu", () => {
  it("runs the ternary matmul, float ops and training steps on the page and matches the CPU", { timeout: 180_000 }, async () => {
    const { report, logs } = await runChromiumPage({ page: join(here, "browser", "page.ts") }, {}, ["--enable-unsafe-webgpu", "--disable-gpu-sandbox"]);
    const r = report as BrowserReport | { error: string };
    if ("error" in r) throw new Error(`page failed: ${r.error}\n${logs.join("\n")}`);
    console.log(`browser check on ${r.adapter} (${r.featureLevel}): ${JSON.stringify(r.errors)}`);
    for (const [name, err] of Object.entries(r.errors)) expect(err, name).toBeLessThan(1e-4);
    expect(r.lossesGpu.length).toBe(3);
    expect(r.lossesGpu[2]).toBeLessThan(r.lossesGpu[0]);
  });
});
