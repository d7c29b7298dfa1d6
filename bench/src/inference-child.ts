// One measurement of the inference benchmark, in a fresh process so that
// resident memory is the loaded model's: import a GGUF, then time a prompt
// and greedy decoding. Prints one JSON line. Started by inference.bench.ts,
// bundled by esbuild (bundle-child.ts) and run on plain node:
//   node --expose-gc inference-child.js FILE THREADS [webgpu]
// (from the sources it also runs as
//   node --expose-gc --conditions=@bitnet-quantize/source --import tsx bench/src/inference-child.ts FILE THREADS [webgpu]
// with tsx's own memory in every RSS.) Resident memory is read after a
// settle(): a full GC, then a timer tick and a second GC, because V8 releases
// a collected ArrayBuffer's memory (the file's 177 MB) only after the GC, on
// a later task; read straight after one gc() it still counts.
import { readFileSync } from "node:fs";
import { PerformanceObserver, constants, performance } from "node:perf_hooks";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { type Backend, cpuBackend, setBackend } from "@bitnet-quantize/tensor";
// internal: the bench reads how much of the kernels' wasm memory is in use
import { wasmKernels } from "../../packages/tensor/src/wasm/wasm-kernels.js";

const [file, threadsArg, where] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: inference-child.ts FILE THREADS [webgpu]");
const threads = Number(threadsArg ?? "1");
const PROMPT = 32;
const DECODE = 16;

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20;
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
/** Collects garbage until freed buffers have been given back (see the header). */
async function settle(): Promise<void> {
  gc();
  await tick();
  gc();
  await tick();
}
// the CPU backend's own kernel threads (on by default; 1 = the calling thread only): the
// workers share the kernels' wasm memory and read the imported weights in place
setBackend(cpuBackend({ threads }));
await settle();
const rssBefore = rssMiB();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let bytes: Uint8Array | null = readFileSync(file);
const fileMiB = bytes.byteLength / 2 ** 20;
const { model, tokenizer } = importGguf(bytes);
const loadMs = performance.now() - t0;
const cpu1 = process.cpuUsage(cpu0);
const loadCpuMs = (cpu1.user + cpu1.system) / 1000;
bytes = null;
await settle();
const rssLoaded = rssMiB();
/** What the model holds in typed arrays (weights, scales, embedding): JavaScript buffers plus the blocks in use in the kernels' wasm memory (where the CPU backend keeps packed weights). */
const modelMiB = (process.memoryUsage().arrayBuffers + (wasmKernels()?.arena.used ?? 0)) / 2 ** 20;

let backend: Backend | undefined;
if (where === "webgpu") {
  const { create } = await import("webgpu");
  const { createWebGPUBackend } = await import("@bitnet-quantize/backend-webgpu");
  backend = await createWebGPUBackend({ gpu: create([]) });
}
// garbage collections while decoding: a decode step that allocates per projection collects every few steps
const gcs: { start: number; ms: number; major: boolean }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    gcs.push({ start: e.startTime, ms: e.duration, major: kind === constants.NODE_PERFORMANCE_GC_MAJOR });
  }
});
gcObserver.observe({ entryTypes: ["gc"] });
const ids = tokenizer.encode("Once upon a time there was a little cat. The cat liked to play in the sun with a red ball and a dog");
const prompt = Array.from({ length: PROMPT }, (_, i) => ids[i % ids.length]);
const result: Record<string, number | string> = { threads, where: where ?? "cpu", fileMiB, loadMs, loadCpuMs, rssBeforeMiB: rssBefore, rssLoadedMiB: rssLoaded, modelMiB };
// Q8_K activations need synchronous reads: CPU only
for (const activations of backend === undefined ? (["q8_K", "int8"] as const) : (["int8"] as const)) {
  const inf = model.inference({ activations, kvCache: "f16", ...(backend !== undefined ? { backend } : {}) });
  const cache = inf.newCache();
  const forward = (t: number[]): Promise<Float32Array> | Float32Array => (backend !== undefined ? inf.forwardAsync(t, cache) : inf.forward(t, cache));
  // warm-up: prepares the kernels' lookup tables (not timed, as llama-bench's warm-up run)
  await forward([prompt[0]]);
  // the kernel threads start at the first large product and take rows once ready (about 0.1-0.5 s): time the steady state
  if (threads > 1) await new Promise((r) => setTimeout(r, 1000));
  cache.clear();
  const tp = performance.now();
  let logits = await forward(prompt);
  const promptMs = performance.now() - tp;
  const td = performance.now();
  const cd = process.cpuUsage();
  for (let i = 0; i < DECODE; i++) {
    let best = 0;
    for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
    logits = await forward([best]);
  }
  const decodeMs = performance.now() - td;
  const cdu = process.cpuUsage(cd);
  await tick(); // the observer reports on a later task
  const during = gcs.filter((g) => g.start >= td && g.start < td + decodeMs);
  result[`${activations}DecodeMajorGcs`] = during.filter((g) => g.major).length;
  result[`${activations}DecodeGcMs`] = during.reduce((sum, g) => sum + g.ms, 0);
  result[`${activations}DecodeCpuMsPerTok`] = (cdu.user + cdu.system) / 1000 / DECODE;
  result[`${activations}PromptTokPerS`] = (PROMPT * 1000) / promptMs;
  result[`${activations}DecodeTokPerS`] = (DECODE * 1000) / decodeMs;
}
gcObserver.disconnect();
await settle();
result["rssAfterMiB"] = rssMiB();
console.log(JSON.stringify(result));
process.exit(0);
