// The WebAssembly kernels' browser check: bundles test/browser/wasm-page.ts
// with esbuild, serves it from 127.0.0.1 and drives Debian's Chromium
// through playwright-core (browser/chromium-page.ts): the conformance suite
// on the CPU backend with its wasm SIMD kernels (and with them off) and the
// kernels against their references, in Chromium's engine. The page is not
// cross-origin isolated, so the kernels' memory is a plain (non-shared) one
// here. Skips, saying why, where /usr/bin/chromium is absent. (It lives here
// because this package holds the browser tooling: esbuild, playwright-core.)
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHROMIUM, runChromiumPage } from "./browser/chromium-page.js";
import type { WasmBrowserReport } from "./browser/wasm-page.js";

const here = dirname(fileURLToPath(import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the wasm browser check: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!hasChromium)("browser check: headless Chromium, WebAssembly SIMD kernels", () => {
  it("passes the conformance suite with and without the wasm kernels, and the kernels match their references", { timeout: 300_000 }, async () => {
    const { report, logs } = await runChromiumPage({ page: join(here, "browser", "wasm-page.ts") });
    const r = report as WasmBrowserReport | { error: string };
    if ("error" in r) throw new Error(`page failed: ${r.error}\n${logs.join("\n")}`);
    console.log(`wasm browser check on ${r.userAgent}: SIMD ${r.simd}, ${r.cases} cases x 2 backends, ${r.failures.length} failures, matmul rel err ${r.matmulRelErr.toExponential(2)}`);
    expect(r.simd).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.ternaryMismatches).toEqual([]);
    expect(r.matmulRelErr).toBeLessThan(1e-5);
  });
});
