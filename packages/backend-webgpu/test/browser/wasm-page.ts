// The WebAssembly check's page: runs the whole backend conformance suite on
// the CPU backend with its WebAssembly SIMD kernels and with them off, and
// holds the wasm ternary kernel (exactly) and float matmul (within float32
// rounding) to their references, in the browser's own engine. Leaves the
// report in globalThis.__report for the test to read.
import { cpuBackend, matmul, randn, wasmSimdSupported } from "@bitnet-quantize/tensor";
import { packTernaryArray, ternaryMatmulReference } from "@bitnet-quantize/tensor/quant";
import { ternaryMatmulWasm } from "../../../tensor/src/wasm/ternary-wasm.js";
import { conformanceCases } from "@bitnet-quantize/tensor/testing";

/** What the page reports. */
export interface WasmBrowserReport {
  readonly userAgent: string;
  readonly simd: boolean;
  /** Conformance cases run per backend, and the failures as `backend: case: message`. */
  readonly cases: number;
  readonly failures: string[];
  /** Shapes where the wasm ternary kernel differed from the reference (want none). */
  readonly ternaryMismatches: string[];
  /** Largest |wasm - float64 reference| / Σ|a·b| over the float matmul checks. */
  readonly matmulRelErr: number;
}

let seed = 7;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

async function run(): Promise<WasmBrowserReport> {
  const failures: string[] = [];
  const cases = conformanceCases();
  for (const [label, backend] of [["wasm", cpuBackend()], ["js", cpuBackend({ simd: false })]] as const) {
    for (const c of cases) {
      try {
        await c.run(backend);
      } catch (e) {
        failures.push(`${label}: ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  const ternaryMismatches: string[] = [];
  for (const [M, N, K, gs] of [[1, 7, 1, 1], [1, 33, 300, 300], [2, 13, 129, 64], [3, 9, 256, 128], [5, 64, 1024, 1024]] as const) {
    const words = packTernaryArray(Array.from({ length: N * K }, () => Math.floor(rnd() * 3) - 1), N, K);
    const x = Int8Array.from({ length: M * K }, () => Math.floor(rnd() * 256) - 128);
    const xs = Float32Array.from({ length: M }, () => 0.1 + rnd());
    const ws = Float32Array.from({ length: N * Math.ceil(K / gs) }, () => 0.1 + rnd());
    const want = new Float32Array(M * N);
    const got = new Float32Array(M * N);
    ternaryMatmulReference(x, xs, words, ws, M, N, K, gs, want);
    const ran = ternaryMatmulWasm(x, xs, words, ws, M, N, K, gs, got);
    if (!ran || got.some((v, i) => v !== want[i])) ternaryMismatches.push(`${M}x${N}x${K}/g${gs}${ran ? "" : " (did not run)"}`);
  }
  // one divisor per row and 256-column group (llama.cpp's Q8_K activation blocks)
  for (const [M, N, K] of [[1, 64, 1536], [3, 17, 512]] as const) {
    const G = K / 256;
    const words = packTernaryArray(Array.from({ length: N * K }, () => Math.floor(rnd() * 3) - 1), N, K);
    const x = Int8Array.from({ length: M * K }, () => Math.floor(rnd() * 255) - 127);
    const xs = Float32Array.from({ length: M * G }, () => 0.1 + rnd());
    const ws = Float32Array.from({ length: N * G }, () => 0.1 + rnd());
    const want = new Float32Array(M * N);
    const got = new Float32Array(M * N);
    ternaryMatmulReference(x, xs, words, ws, M, N, K, 256, want);
    const ran = ternaryMatmulWasm(x, xs, words, ws, M, N, K, 256, got);
    if (!ran || got.some((v, i) => !Object.is(v, want[i]))) ternaryMismatches.push(`${M}x${N}x${K}/g256 per-group divisors${ran ? "" : " (did not run)"}`);
  }
  let matmulRelErr = 0;
  const backend = cpuBackend();
  for (const [M, K, N] of [[1, 3, 5], [7, 33, 19], [64, 130, 70]] as const) {
    const a = randn([M, K], { seed: M });
    const b = randn([K, N], { seed: N });
    const av = a.dataSync();
    const bv = b.dataSync();
    for (const got of [matmul(a.to(backend), b.to(backend)).dataSync(), matmul(a.to(backend), b.to(backend).transpose().contiguous().transpose()).dataSync()]) {
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          let s = 0;
          let mag = 0;
          for (let k = 0; k < K; k++) {
            s += av[m * K + k] * bv[k * N + n];
            mag += Math.abs(av[m * K + k] * bv[k * N + n]);
          }
          matmulRelErr = Math.max(matmulRelErr, Math.abs(got[m * N + n] - s) / (mag + 1e-30));
        }
      }
    }
  }
  const nav = (globalThis as { navigator?: { userAgent: string } }).navigator;
  return { userAgent: nav?.userAgent ?? "?", simd: wasmSimdSupported(), cases: cases.length, failures, ternaryMismatches, matmulRelErr };
}

const slot = globalThis as { __report?: Promise<WasmBrowserReport | { error: string }> };
slot.__report = run().catch((e: unknown) => ({ error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e) }));
