// The CPU backend's kernel threads in a browser: a cross-origin isolated
// page (COOP same-origin, COEP require-corp) in Debian's Chromium, where
// SharedArrayBuffer and shared wasm memories exist, starts module workers
// from kernel-worker.js beside the page's code; large ternary products then
// match one thread exactly. Skips, saying why, where /usr/bin/chromium is
// absent. (It lives here because this package holds the browser tooling.)
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHROMIUM, runChromiumPage } from "./browser/chromium-page.js";
import type { ThreadsBrowserReport } from "./browser/threads-page.js";

const here = dirname(fileURLToPath(import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the kernel threads browser check: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!hasChromium)("browser check: headless Chromium, kernel threads on a cross-origin isolated page", () => {
  it("starts a module worker over the shared wasm memory, and threaded products equal one thread's exactly", { timeout: 300_000 }, async () => {
    const { report, logs } = await runChromiumPage(
      { page: join(here, "browser", "threads-page.ts"), "kernel-worker": join(here, "..", "..", "tensor", "src", "wasm", "kernel-worker.ts") },
      { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" },
    );
    const r = report as ThreadsBrowserReport | { error: string };
    if ("error" in r) throw new Error(`page failed: ${r.error}\n${logs.join("\n")}`);
    console.log(`kernel threads browser check on ${r.userAgent}: isolated ${r.crossOriginIsolated}, shared memory ${r.sharedMemory}, default threads ${r.defaultThreads}, ready ${r.ready}, ${r.products} products, mismatches ${r.mismatches.length}, 4096x1536 product ms ${JSON.stringify(r.ms)}`);
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.sharedMemory).toBe(true);
    expect(r.defaultThreads).toBe(1); // opt-in in browsers
    expect(r.ready).toBe(1);
    expect(r.mismatches).toEqual([]);
    expect(r.products).toBe(6);
  });
});
