// The playground in headless Chromium (playwright-core, Debian's chromium):
// builds the static site, serves it on 127.0.0.1, and for WebGPU (SwiftShader)
// and the forced CPU fallback trains a bounded number of steps, sees the loss
// fall, the ternary bars and a sample, downloads the .gguf and parses it with
// our reader, drops it back onto the page and generates (the same text as
// Node gets from the same file). Saves screenshots to /tmp/issue-14-playground/.
// Skips, saying why, where /usr/bin/chromium is absent.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { parseGguf } from "@bitnet-quantize/gguf";
import { buildSite, serveDir } from "../scripts/site.js";
import type { PlaygroundState } from "../src/state.js";
import { generateText } from "../src/session.js";
import { SIZES } from "../src/sizes.js";

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
const SHOTS = "/tmp/issue-14-playground";
const LLAMA_CLI = process.env["LLAMA_CLI"] ?? "/opt/llama/src/build/bin/llama-cli";
/** Text pasted into the page for the CPU run (the WebGPU run trains on the built-in stories). */
const PASTED = "the quick brown fox jumps over the lazy dog. a lazy dog sleeps in the sun. the fox runs home. ".repeat(40);
const waitStopped = (page: Page): Promise<unknown> =>
  page.waitForFunction(() => (globalThis as { __playground?: PlaygroundState }).__playground?.stoppedReason !== "", undefined, { timeout: 120_000 });
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the playground browser test: ${CHROMIUM} not found (apt-get install chromium)`);

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function state(page: Page): Promise<PlaygroundState> {
  return page.evaluate(() => (globalThis as { __playground?: PlaygroundState }).__playground as PlaygroundState);
}

describe.skipIf(!hasChromium)("the playground in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "bitnet-playground-"));
  let server: Server | undefined;
  let url = "";
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    await buildSite(join(dir, "site"));
    ({ server, url } = await serveDir(join(dir, "site")));
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      args: FLAGS,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [backend, steps] of [
    ["webgpu", 30],
    ["cpu", 60],
  ] as const) {
    it(`trains on ${backend}, exports a .gguf our reader parses, and generates from it when dropped back`, { timeout: 150_000 }, async () => {
      const page = await (context as BrowserContext).newPage();
      const logs: string[] = [];
      page.on("console", (m) => logs.push(m.text()));
      page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
      try {
        await page.goto(`${url}?backend=${backend}&steps=${steps}&evalEvery=${steps / 2}`);
        if (backend === "cpu") await page.fill("#text", PASTED);
        await page.click("#start");
        await waitStopped(page);
        const s = await state(page);
        expect(s.errors, logs.join("\n")).toEqual([]);
        expect(s.stoppedReason).toBe(`reached ${steps} steps`);
        expect(s.backend).toBe(backend);
        expect(await page.textContent("#backend-note")).toContain(backend === "webgpu" ? "WebGPU" : "CPU backend (forced");
        // the loss falls: training (first vs last 5 steps) and validation (before vs after)
        const losses = s.losses.map((p) => p.loss);
        expect(losses.length).toBe(steps);
        expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) - 0.3);
        expect(s.valLosses.length).toBe(3);
        expect((s.valLosses.at(-1) as { loss: number }).loss).toBeLessThan((s.valLosses[0] as { loss: number }).loss);
        // the histogram: 7 projections per layer, their codes all counted
        expect(s.projections.length).toBe(7 * SIZES.tiny.layers);
        for (const p of s.projections) expect(p.minus + p.zero + p.plus).toBeGreaterThan(0);
        expect(await page.locator("#histogram .proj").count()).toBe(7 * SIZES.tiny.layers);
        // a sample
        expect(s.sample.startsWith("one day")).toBe(true);
        expect(((await page.textContent("#sample")) ?? "").startsWith("one day")).toBe(true);
        if (backend === "webgpu") await page.screenshot({ path: join(SHOTS, "playground.png") });
        if (backend === "cpu") {
          expect(s.sample.length).toBeGreaterThan("one day".length);
          // continue for 10 more steps, then continue without a limit and stop it
          await page.fill("#steps", "10");
          await page.click("#continue");
          await waitStopped(page);
          expect((await state(page)).stoppedReason).toBe(`reached ${steps + 10} steps`);
          await page.fill("#steps", "0");
          await page.click("#continue");
          await page.waitForFunction((n) => ((globalThis as { __playground?: PlaygroundState }).__playground?.step ?? 0) >= n, steps + 13, { timeout: 60_000 });
          await page.click("#stop");
          await waitStopped(page);
          const after = await state(page);
          expect(after.stoppedReason).toBe("stopped");
          expect(after.losses.length).toBe(after.step);
          expect(after.step).toBeGreaterThanOrEqual(steps + 13);
        }

        // download the .gguf and parse it with our reader
        const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
        const path = await download.path();
        const bytes = new Uint8Array(readFileSync(path));
        const file = parseGguf(bytes);
        expect(file.metadata.get("general.architecture")).toEqual({ type: "string", value: "bitnet" });
        expect(file.metadata.get("general.name")).toEqual({ type: "string", value: "bitnet-quantize playground" });
        expect(file.tensors.length).toBeGreaterThan(7 * SIZES.tiny.layers);
        expect(await page.textContent("#command")).toContain("llama-cli -m bitnet-playground-tq2_0.gguf");

        // drop it back onto the page and generate: the page's text is Node's from the same file
        // (a script string: the test's TypeScript program has no DOM types)
        await page.evaluate(`(() => {
          const raw = Uint8Array.from(atob(${JSON.stringify(Buffer.from(bytes).toString("base64"))}), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([raw], "dropped.gguf"));
          document.getElementById("drop-zone").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
        })()`);
        await page.waitForFunction(() => (globalThis as { __playground?: PlaygroundState }).__playground?.loaded !== "", undefined, { timeout: 30_000 });
        expect((await state(page)).loaded).toContain(`dim ${SIZES.tiny.dim}`);
        await page.click("#generate");
        await page.waitForFunction(() => (globalThis as { __playground?: PlaygroundState }).__playground?.generated !== "", undefined, { timeout: 30_000 });
        const generated = (await state(page)).generated;
        const imported = importGguf(bytes);
        expect(generated).toBe(generateText(imported.model, imported.tokenizer, "one day", { maxTokens: 32, seed: 1, temperature: 0 }));
        expect(generated.startsWith("one day")).toBe(true);
        if (backend === "webgpu") await page.screenshot({ path: join(SHOTS, "playground-after-drop.png") });
        // the command the page shows runs the file in llama.cpp, where it is installed
        if (existsSync(LLAMA_CLI)) {
          const out = execFileSync(LLAMA_CLI, ["-m", path, "-p", "one day", "-n", "8", "--temp", "0", "-no-cnv"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
          expect(out).toContain("one day");
        }
        console.log(`playground on ${s.backendNote}: loss ${losses[0]?.toFixed(3)} -> ${losses.at(-1)?.toFixed(3)}, val ${s.valLosses.map((p) => p.loss.toFixed(3)).join(" -> ")}; sample ${JSON.stringify(s.sample)}; generated ${JSON.stringify(generated)}`);
      } finally {
        await page.close();
      }
    });
  }

  it("says what is wrong when the pasted text is too short", { timeout: 60_000 }, async () => {
    const page = await (context as BrowserContext).newPage();
    try {
      await page.goto(`${url}?backend=cpu`);
      await page.fill("#text", "far too short");
      await page.click("#start");
      await page.waitForFunction(() => ((globalThis as { __playground?: PlaygroundState }).__playground?.errors.length ?? 0) > 0, undefined, { timeout: 30_000 });
      expect(await page.textContent("#error")).toMatch(/PlaygroundError: the text has 13 characters; paste at least \d+/);
      expect(await page.isDisabled("#stop")).toBe(true);
    } finally {
      await page.close();
    }
  });

  it("shows the guided tour with the library's numbers", { timeout: 60_000 }, async () => {
    const page = await (context as BrowserContext).newPage();
    try {
      await page.goto(`${url}?tab=tour`);
      await page.waitForFunction(() => (globalThis as { __playground?: PlaygroundState }).__playground?.tourReady === true, undefined, { timeout: 30_000 });
      expect(await page.locator(".tour-step").count()).toBe(7);
      expect(await page.isVisible("#panel-tour")).toBe(true);
      expect(await page.textContent("#tour-wscale")).toBe("0.2658");
      await page.screenshot({ path: join(SHOTS, "playground-tour.png"), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
