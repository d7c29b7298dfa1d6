// The kernel threads' browser check page (a cross-origin isolated page):
// the CPU backend's threads (opt-in in browsers: `threads: 2`) start module
// workers over the shared wasm memory; once one is ready, large ternary products (per-row and
// per-group Q8_K divisors) are held to one thread's results exactly, and
// both are timed. Leaves the report in globalThis.__report.
import { cpuBackend, tensor } from "@bitnet-quantize/tensor";
import { packTernaryArray, ternaryMatmul, ternaryMatmulCpu, ternaryMatmulReference } from "@bitnet-quantize/tensor/quant";
import { defaultKernelThreads, kernelThreads, threadedTernaryMatmul } from "../../../tensor/src/wasm/kernel-threads.js";
import { wasmKernels } from "../../../tensor/src/wasm/wasm-kernels.js";

/** What the page reports. */
export interface ThreadsBrowserReport {
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly sharedMemory: boolean;
  /** What the backend uses unasked (1: threads are opt-in in browsers). */
  readonly defaultThreads: number;
  /** Workers ready after the first large product and a wait. */
  readonly ready: number;
  /** Products compared with the reference (want all equal). */
  readonly products: number;
  readonly mismatches: string[];
  /** Median ms of a 4096x1536 decode-step product (the kernel entries, weights resident) on 1 and 2 threads. */
  readonly ms: Readonly<Record<string, number>>;
}

let seed = 11;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

async function run(): Promise<ThreadsBrowserReport> {
  const g = globalThis as { readonly crossOriginIsolated?: boolean; readonly navigator?: { userAgent: string } };
  const [N, K] = [4096, 1536];
  const words = packTernaryArray(Array.from({ length: N * K }, () => Math.floor(rnd() * 3) - 1), N, K);
  const two = cpuBackend({ threads: 2 });
  const one = cpuBackend({ threads: 1 });
  const product = (b: ReturnType<typeof cpuBackend>, x: Int8Array, M: number): Float32Array =>
    ternaryMatmul(tensor(x, [M, K], "int8", b), { words: tensor(words, [N, K / 16], "uint32", b), shape: [N, K] }, tensor(new Float32Array(M).fill(2.5), [M], "float32", b), tensor(new Float32Array(N).fill(0.5), [N], "float32", b), K).dataSync();
  const x0 = Int8Array.from({ length: K }, () => Math.floor(rnd() * 255) - 127);
  product(two, x0, 1); // starts the team
  const team = kernelThreads(2);
  for (let i = 0; i < 200 && (team?.ready ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  const mismatches: string[] = [];
  let products = 0;
  const kernel = threadedTernaryMatmul(2);
  for (const M of [1, 2, 5]) {
    const x = Int8Array.from({ length: M * K }, () => Math.floor(rnd() * 255) - 127);
    const a = product(two, x, M);
    const b = product(one, x, M);
    products++;
    if (a.some((v, i) => !Object.is(v, b[i]))) mismatches.push(`backend M=${M}`);
    // one divisor per row and 256-column group (Q8_K), on the kernel directly
    const G = K / 256;
    const xs = Float32Array.from({ length: M * G }, () => 0.1 + rnd());
    const ws = Float32Array.from({ length: N * G }, () => 0.1 + rnd());
    const want = new Float32Array(M * N);
    ternaryMatmulReference(x, xs, words, ws, M, N, K, 256, want);
    const got = new Float32Array(M * N);
    kernel(x, xs, words, ws, M, N, K, 256, got);
    products++;
    if (got.some((v, i) => !Object.is(v, want[i]))) mismatches.push(`grouped M=${M}`);
  }
  const ms: Record<string, number> = {};
  const xs1 = new Float32Array([2.5]);
  const ws1 = new Float32Array(N).fill(0.5);
  const out = new Float32Array(N);
  for (const [name, k] of [["1 thread", ternaryMatmulCpu], ["2 threads", kernel]] as const) {
    const times: number[] = [];
    for (let r = 0; r < 15; r++) {
      const t = performance.now();
      for (let i = 0; i < 20; i++) k(x0, xs1, words, ws1, 1, N, K, K, out); // 20 per sample: the page's clock is coarse
      times.push((performance.now() - t) / 20);
    }
    times.sort((p, q) => p - q);
    ms[name] = times[7] ?? Number.NaN;
  }
  return {
    userAgent: g.navigator?.userAgent ?? "?",
    crossOriginIsolated: g.crossOriginIsolated === true,
    sharedMemory: wasmKernels()?.arena.shared === true,
    defaultThreads: defaultKernelThreads(),
    ready: team?.ready ?? 0,
    products,
    mismatches,
    ms,
  };
}

const slot = globalThis as { __report?: Promise<ThreadsBrowserReport | { error: string }> };
slot.__report = run().catch((e: unknown) => ({ error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e) }));
