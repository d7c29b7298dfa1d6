// The WebAssembly SIMD kernels of the CPU backend against the JavaScript
// kernels they replace, side by side in one run (one thread):
// - ternary x int8 matvec, batch 1, W [N out, K in] at 4096x4096, 1536x4096,
//   4096x1536, 1536x1536 (the large BitNet model's projection shapes);
// - float32 matmul [64,1024] x [1024,4096], kernels alone and through the backend;
// - the 784-256-10 MLP training step: ours on the wasm kernels, ours on the
//   JavaScript kernels (cpuBackend({ simd: false })), and PyTorch (Debian's
//   python3-torch, one thread) when a python3 with torch is found;
// - `npm start`'s training throughput (tokens/s), wasm vs JavaScript;
// - the 168 ternary products of one decode step of the large-shaped model
//   (24 layers: q, k, v, o 1536x1536, gate and up 4096x1536, down 1536x4096,
//   random weights, Q8_K-style groups), on one thread and on the CPU
//   backend's kernel threads (two), one call per product and as the
//   inference pass calls them (q, k and v as one ternaryMatmulMany, gate and
//   up as one), without the single-threaded work that sits between them in
//   a real step (inference.bench.ts measures that);
// - one layer's decode attention (16 heads of 96, fp16 cache) at 40 and 128
//   cached positions: cachedAttention over a plain cache (its JavaScript
//   loops) and over a cache resident in the kernels' memory (WebAssembly).
// - attention's scores and weighted sums of a decode step over 24 layers'
//   caches at 48 and 200 cached positions: one head at a time against all
//   heads per cached position;
// - the host loops of one decode step of the large-shaped model, each kernel
//   against its plain twin: the FFN's SiLU(gate)·up (24 rows of 4096), the
//   RMSNorms (24 x (3 rows of 1536 + 1 of 4096)), the AbsMax int8
//   quantization of the projections' inputs (same rows), and the fp16
//   cache's binary16 roundings (24 x 3 rows of 1536: q, k, v).
// Usage: npm run bench -- wasm   (about 3 minutes on two cores)
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { cpuBackend, matmul, randint, randn, setBackend, tensor } from "@bitnet-quantize/tensor";
import { type TernaryManyKernel, type TernaryProduct, packTernaryArray, ternaryMatmulManyCpu } from "@bitnet-quantize/tensor/quant";
import { ternaryMatmulCpuJs } from "../../packages/tensor/src/quant/ternary-matmul.js";
import { ternaryMatmulWasm } from "../../packages/tensor/src/wasm/ternary-wasm.js";
import { kernelThreads, threadedTernaryMatmul, threadedTernaryMatmulMany } from "../../packages/tensor/src/wasm/kernel-threads.js";
import { ternaryMatmulCpu } from "../../packages/tensor/src/quant/ternary-matmul.js";
import { Var } from "@bitnet-quantize/autograd";
import { Linear, ReLU, Sequential, crossEntropy } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";
import { DEFAULT_LM_CONFIG, LmTrainer, generateCorpus } from "@bitnet-quantize/cli";
import { matmulBlocked } from "../../packages/tensor/src/cpu/matmul.js";
import { matmulWasmNN, matmulWasmNT } from "../../packages/tensor/src/wasm/matmul-wasm.js";
import { cachedAttention } from "@bitnet-quantize/bitnet";
import {
  absMaxRange, absMaxRangeReference, headDotsF64, headWeightedSumF64, quantizeInt8Range, quantizeInt8RangeReference, residentFloat32, roundFloat16Range, roundFloat16RangeReference, rmsNormRowsF32, rmsNormRowsF32Reference, siluMulF32,
  rowDotsF64, siluMulF32Reference, weightedRowSumF64,
} from "@bitnet-quantize/tensor";
import { compare } from "./compare.js";

let seed = 12345;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

async function ternaryMatvec(N: number, K: number): Promise<void> {
  const words = packTernaryArray(Int8Array.from({ length: N * K }, () => Math.floor(rnd() * 3) - 1), N, K);
  const x = Int8Array.from({ length: K }, () => Math.floor(rnd() * 255) - 127);
  const xScale = new Float32Array([0.02]);
  const wScale = Float32Array.from({ length: N }, () => 0.5 + rnd());
  const js = new Float32Array(N);
  const wasm = new Float32Array(N);
  ternaryMatmulCpuJs(x, xScale, words, wScale, 1, N, K, K, js);
  ternaryMatmulWasm(x, xScale, words, wScale, 1, N, K, K, wasm);
  if (js.some((v, i) => v !== wasm[i])) throw new Error(`ternary ${N}x${K}: wasm differs from the JavaScript kernel`);
  await compare(`ternary x int8 matvec, W ${N} out x ${K} in, batch 1 (per-token prep included)`, [
    { name: "JS (LUT kernel)", fn: () => ternaryMatmulCpuJs(x, xScale, words, wScale, 1, N, K, K, js) },
    { name: "wasm SIMD", fn: () => ternaryMatmulWasm(x, xScale, words, wScale, 1, N, K, K, wasm) },
  ], { baseline: "JS (LUT kernel)", time: 1500, iterations: 20 });
}

async function floatMatmul(): Promise<void> {
  const [M, K, N] = [64, 1024, 4096];
  const a = randn([M, K], { seed: 1 }).dataSync();
  const bt = randn([N, K], { seed: 2 }).dataSync();
  const b = randn([K, N], { seed: 3 }).dataSync();
  const c = new Float32Array(M * N);
  await compare(`float32 matmul kernels [${M},${K}] x [${K},${N}] (operand copies into wasm memory included)`, [
    { name: "JS matmulBlocked (A·Btᵀ)", fn: () => matmulBlocked(a, bt, c, M, N, K) },
    { name: "wasm A·Btᵀ (nt 4x2)", fn: () => matmulWasmNT(a, bt, c, M, N, K) },
    { name: "wasm A·B (nn 4x8)", fn: () => matmulWasmNN(a, b, c, M, N, K) },
  ], { baseline: "JS matmulBlocked (A·Btᵀ)", time: 3000, iterations: 5 });
  const js = cpuBackend({ simd: false });
  const wasm = cpuBackend();
  const ta = tensor(a, [M, K]);
  const tb = tensor(b, [K, N]);
  const [aj, bj, aw, bw] = [ta.to(js), tb.to(js), ta.to(wasm), tb.to(wasm)];
  const wT = tensor(bt, [N, K]);
  const [wj, ww] = [wT.to(js).transpose(), wT.to(wasm).transpose()];
  await compare(`matmul op [${M},${K}] x [${K},${N}] through the backend`, [
    { name: "JS backend, B row-major", fn: () => matmul(aj, bj).dataSync() },
    { name: "wasm backend, B row-major", fn: () => matmul(aw, bw).dataSync() },
    { name: "JS backend, B = Wᵀ", fn: () => matmul(aj, wj).dataSync() },
    { name: "wasm backend, B = Wᵀ", fn: () => matmul(aw, ww).dataSync() },
  ], { baseline: "JS backend, B row-major", time: 3000, iterations: 5 });
}

// MLP shapes: B batch, D input features, H hidden units, C classes.
const [B, D, H, C] = [64, 784, 256, 10];

function mlpStep(simd: boolean): () => number {
  const previous = setBackend(cpuBackend({ simd }));
  const model = new Sequential(new Linear(D, H, { seed: 1 }), new ReLU(), new Linear(H, C, { seed: 2 }));
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  const x = new Var(randn([B, D], { seed: 3 }));
  const y = randint(0, C, [B], { seed: 4 });
  setBackend(previous);
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** The PyTorch step (bench/torch_mlp_step.py) in a python3 that has torch, or undefined. */
function torchStep(threads: number): { median: number; version: string } | undefined {
  const script = join(import.meta.dirname, "..", "torch_mlp_step.py");
  for (const py of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(py, [script, String(threads), "5"], { encoding: "utf8", timeout: 120_000 });
    if (r.status === 0) {
      const line = r.stdout.trim().split("\n").at(-1) ?? "";
      const j = JSON.parse(line) as { median_ms: number; torch: string };
      return { median: j.median_ms, version: j.torch };
    }
  }
  return undefined;
}

async function trainingStep(): Promise<void> {
  const rows = await compare(`MLP ${D}-${H}-${C} training step, batch ${B} (forward, backward, SGD)`, [
    { name: "ours, JS kernels", fn: mlpStep(false) },
    { name: "ours, wasm SIMD", fn: mlpStep(true) },
  ], { baseline: "ours, JS kernels", time: 4000, iterations: 30 });
  const torch = torchStep(1);
  const ours = rows.find((r) => r.task === "ours, wasm SIMD");
  if (torch === undefined) console.log("PyTorch: no python3 with torch found (apt-get install python3-torch); skipped");
  else if (ours !== undefined) {
    console.log(`PyTorch ${torch.version}, 1 thread, same step: median ${torch.median.toFixed(2)} ms; ours (wasm) ${ours.medianMs.toFixed(2)} ms: ours is ${(torch.median / ours.medianMs).toFixed(2)}x PyTorch's speed`);
  }
}

function npmStartThroughput(steps: number): void {
  const results: string[] = [];
  for (const simd of [false, true]) {
    const previous = setBackend(cpuBackend({ simd }));
    // npm start's recipe (packages/cli's LmTrainer, what `bitnet train` runs), timed over its training steps
    const trainer = new LmTrainer(generateCorpus(), { ...DEFAULT_LM_CONFIG, steps });
    const start = performance.now();
    while (!trainer.done) trainer.trainStep();
    const secs = (performance.now() - start) / 1000;
    setBackend(previous);
    const tps = Math.round((steps * trainer.config.batch * trainer.config.context) / secs);
    results.push(`${simd ? "wasm SIMD" : "JS kernels"}: ${tps} tok/s`);
  }
  console.log(`### npm start training (default model, ${steps} steps each): ${results.join(", ")}`);
}

/** One decode step's products (see the header) with `kernel`, all 168 in order. */
async function decodeStepProducts(): Promise<void> {
  const shapes: (readonly [number, number])[] = [];
  for (let l = 0; l < 24; l++) shapes.push([1536, 1536], [1536, 1536], [1536, 1536], [1536, 1536], [4096, 1536], [4096, 1536], [1536, 4096]);
  const mats = shapes.map(([N, K]) => ({
    N,
    K,
    words: packTernaryArray(Int8Array.from({ length: N * K }, () => Math.floor(rnd() * 3) - 1), N, K),
    wScale: new Float32Array((N * K) / 256).fill(0.01),
  }));
  const xs = new Map([1536, 4096].map((K) => [K, { x: Int8Array.from({ length: K }, () => Math.floor(rnd() * 255) - 127), xScale: new Float32Array(K / 256).fill(3) }]));
  const outs = mats.map(({ N }) => new Float32Array(N));
  const step = (kernel: typeof ternaryMatmulCpu) => (): void => {
    mats.forEach((m, i) => {
      const a = xs.get(m.K);
      if (a !== undefined) kernel(a.x, a.xScale, m.words, m.wScale, 1, m.N, m.K, 256, outs[i] ?? new Float32Array(m.N));
    });
  };
  const two = threadedTernaryMatmul(2);
  step(two)(); // starts the team
  const team = kernelThreads(2);
  for (let i = 0; i < 100 && (team?.ready ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  if ((team?.ready ?? 0) === 0) {
    console.log("### decode step's products: no kernel threads in this Node; skipped");
    return;
  }
  // the same products as the inference pass runs them: q, k and v as one call, gate and up as one (96 calls)
  const fusedOuts = mats.map(({ N }) => new Float32Array(N));
  const calls: { x: Int8Array; xScale: Float32Array; K: number; products: TernaryProduct[] }[] = [];
  for (let l = 0; l < 24; l++) {
    for (const group of [[0, 1, 2], [3], [4, 5], [6]]) {
      const products: TernaryProduct[] = [];
      let K = 0;
      for (const j of group) {
        const m = mats[7 * l + j];
        const out = fusedOuts[7 * l + j];
        if (m === undefined || out === undefined) throw new Error("decode step's products: bad index");
        products.push({ w: m.words, wScale: m.wScale, N: m.N, out });
        K = m.K;
      }
      const a = xs.get(K);
      if (a === undefined) throw new Error(`decode step's products: no input of ${K}`);
      calls.push({ ...a, K, products });
    }
  }
  const fused = (many: TernaryManyKernel) => (): void => {
    for (const c of calls) many(c.x, c.xScale, c.products, 1, c.K, 256);
  };
  const twoMany = threadedTernaryMatmulMany(2);
  step(ternaryMatmulCpu)();
  fused(twoMany)();
  if (outs.some((o, i) => o.some((v, j) => v !== fusedOuts[i]?.[j]))) throw new Error("decode step's products: the fused calls' results differ");
  const rescued = team?.rescued ?? 0;
  await compare("the 168 ternary products of a decode step of the large-shaped model, batch 1 (weights resident in wasm memory): one call per product, or q/k/v and gate/up as one call each (ternaryMatmulMany, 96 calls)", [
    { name: "1 thread", fn: step(ternaryMatmulCpu) },
    { name: "1 thread, fused", fn: fused(ternaryMatmulManyCpu) },
    { name: "2 threads (kernel threads)", fn: step(two) },
    { name: "2 threads, fused", fn: fused(twoMany) },
  ], { baseline: "1 thread", time: 4000, iterations: 30 });
  console.log(`chunks redone on the calling thread because the worker was late: ${(team?.rescued ?? 0) - rescued}`);
}

/** One layer's decode attention over a plain and a resident KV cache (the same values, the same bits). */
async function decodeAttention(): Promise<void> {
  const [H, D, S] = [16, 96, 256];
  const plainKeys = Float32Array.from({ length: S * H * D }, () => rnd() * 2 - 1);
  const plainValues = Float32Array.from({ length: S * H * D }, () => rnd() * 2 - 1);
  const keys = residentFloat32(S * H * D);
  const values = residentFloat32(S * H * D);
  keys.set(plainKeys);
  values.set(plainValues);
  const q = Float32Array.from({ length: H * D }, () => rnd() * 2 - 1);
  for (const T of [40, 128]) {
    const s = { N: 1, start: T - 1, heads: H, kvHeads: H, headDim: D, f16: true };
    const run = (k: Float32Array, v: Float32Array, out: Float32Array) => (): void => cachedAttention(q.slice(), k, v, out, s);
    const a = new Float32Array(H * D);
    const b = new Float32Array(H * D);
    run(plainKeys, plainValues, a)();
    run(keys, values, b)();
    if (a.some((x, i) => x !== b[i])) throw new Error("decode attention: the resident cache's result differs from the plain one");
    await compare(`decode attention of one layer, 16 heads of 96, fp16 cache, ${T} cached positions`, [
      { name: "plain cache (JavaScript loops)", fn: run(plainKeys, plainValues, a) },
      { name: "resident cache (wasm SIMD)", fn: run(keys, values, b) },
    ], { baseline: "plain cache (JavaScript loops)", time: 1500, iterations: 50 });
  }
}

/** The host loops of one decode step (large-shaped model), each kernel against its plain twin; results checked equal first. */
async function decodeHostLoops(): Promise<void> {
  const rowsOf = (n: number): Float32Array => Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * 3);
  const gate = rowsOf(24 * 4096);
  const up = rowsOf(24 * 4096);
  const same = (a: ArrayLike<number>, b: ArrayLike<number>, what: string): void => {
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${what}: the kernel differs from its twin at ${i}`);
  };
  same(siluMulF32(gate, up, new Float32Array(gate.length)), siluMulF32Reference(gate, up, new Float32Array(gate.length)), "siluMulF32");
  const act = new Float32Array(gate.length);
  await compare("a decode step's SiLU(gate)·up, 24 rows of 4096", [
    { name: "plain loop (Math.exp)", fn: () => siluMulF32Reference(gate, up, act) },
    { name: "wasm SIMD (fdlibm exp)", fn: () => siluMulF32(gate, up, act) },
  ], { baseline: "plain loop (Math.exp)", time: 1500, iterations: 30 });
  // a layer's four norm inputs: 3 rows of 1536 (attention input, attention output, FFN input) and one of 4096 (FFN hidden)
  const small = rowsOf(3 * 1536);
  const big = rowsOf(4096);
  const w1 = rowsOf(1536);
  const w4 = rowsOf(4096);
  const out1 = new Float32Array(1536);
  const out4 = new Float32Array(4096);
  const norms = (f: typeof rmsNormRowsF32) => (): void => {
    for (let l = 0; l < 24; l++) {
      for (let r = 0; r < 3; r++) f(small.subarray(r * 1536, (r + 1) * 1536), 1536, 1e-6, w1, out1);
      f(big, 4096, 1e-6, w4, out4);
    }
  };
  same(rmsNormRowsF32(big, 4096, 1e-6, w4, new Float32Array(4096)), rmsNormRowsF32Reference(big, 4096, 1e-6, w4, new Float32Array(4096)), "rmsNormRowsF32");
  await compare("a decode step's RMSNorms, 24 x (3 rows of 1536 + 1 of 4096)", [
    { name: "plain loops", fn: norms(rmsNormRowsF32Reference) },
    { name: "wasm SIMD", fn: norms(rmsNormRowsF32) },
  ], { baseline: "plain loops", time: 1500, iterations: 30 });
  const codes1 = new Int8Array(1536);
  const codes4 = new Int8Array(4096);
  const quantize = (absMax: typeof absMaxRange, q: typeof quantizeInt8Range) => (): void => {
    const row = (x: Float32Array, codes: Int8Array): void => {
      const scale = 127 / Math.max(absMax(x, 0, x.length), 1e-5);
      q(x, 0, x.length, scale, 127, "half-even", codes);
    };
    for (let l = 0; l < 24; l++) {
      for (let r = 0; r < 3; r++) row(small.subarray(r * 1536, (r + 1) * 1536), codes1);
      row(big, codes4);
    }
  };
  quantize(absMaxRange, quantizeInt8Range)();
  const a = codes4.slice();
  quantize(absMaxRangeReference, quantizeInt8RangeReference)();
  same(a, codes4, "quantizeInt8Range");
  await compare("a decode step's AbsMax int8 quantizations, 24 x (3 rows of 1536 + 1 of 4096)", [
    { name: "plain loops", fn: quantize(absMaxRangeReference, quantizeInt8RangeReference) },
    { name: "wasm SIMD", fn: quantize(absMaxRange, quantizeInt8Range) },
  ], { baseline: "plain loops", time: 1500, iterations: 30 });
  // the fp16 cache's roundings: per layer q (in place), then k and v into the cache
  const cache = new Float32Array(2 * 1536);
  const halves = (f: typeof roundFloat16Range) => (): void => {
    for (let l = 0; l < 24; l++) {
      for (let r = 0; r < 3; r++) f(small.subarray(r * 1536, (r + 1) * 1536), r === 0 ? out1 : cache, r === 2 ? 1536 : 0, 1536);
    }
  };
  const h = new Float32Array(4096);
  const hr = new Float32Array(4096);
  roundFloat16Range(big, h, 0, 4096);
  roundFloat16RangeReference(big, hr, 0, 4096);
  same(h, hr, "roundFloat16Range");
  await compare("a decode step's binary16 roundings (fp16 cache), 24 x 3 rows of 1536", [
    { name: "plain loop", fn: halves(roundFloat16RangeReference) },
    { name: "wasm SIMD", fn: halves(roundFloat16Range) },
  ], { baseline: "plain loop", time: 1500, iterations: 30 });
}

/**
 * Attention's two loops in a decode step over all 24 layers' caches (so that, as in a real step, the cache is
 * not in the CPU caches): one head at a time (rowDotsF64, weightedRowSumF64) against all heads per cached
 * position (headDotsF64, headWeightedSumF64); results checked equal first.
 */
async function decodeAttentionLoops(): Promise<void> {
  const [L, H, D, S] = [24, 16, 96, 256];
  const cache = (): Float32Array[] =>
    Array.from({ length: L }, () => {
      const v = residentFloat32(S * H * D);
      for (let i = 0; i < v.length; i++) v[i] = rnd() * 2 - 1;
      return v;
    });
  const keys = cache();
  const values = cache();
  const at = { offset: 0, stride: H * D, kvOffsets: Array.from({ length: H }, (_, h) => h * D), D };
  const q = Float32Array.from({ length: H * D }, () => rnd() * 2 - 1);
  for (const T of [48, 200]) {
    const sa = new Float64Array(H * T);
    const sb = new Float64Array(H * T);
    const dotsPerHead = (out: Float64Array) => (): void => {
      for (const k of keys) for (let h = 0; h < H; h++) rowDotsF64(q, h * D, k, h * D, H * D, D, T, out.subarray(h * T, (h + 1) * T));
    };
    const dotsHeads = (out: Float64Array) => (): void => {
      for (const k of keys) headDotsF64(q, 0, k, at, T, out, T);
    };
    dotsPerHead(sa)();
    dotsHeads(sb)();
    if (sa.some((x, i) => !Object.is(x, sb[i]))) throw new Error("decode attention dots: the heads kernel differs from the per-head one");
    await compare(`a decode step's attention scores, 24 layers x 16 heads of 96, ${T} cached positions`, [
      { name: "one head at a time (rowDotsF64)", fn: dotsPerHead(sa) },
      { name: "all heads per position (headDotsF64)", fn: dotsHeads(sb) },
    ], { baseline: "one head at a time (rowDotsF64)", time: 1500, iterations: 20 });
    const p = Float64Array.from({ length: H * T }, () => Math.fround(rnd() / T));
    const a = new Float32Array(H * D);
    const b = new Float32Array(H * D);
    const sumsPerHead = (out: Float32Array) => (): void => {
      for (const v of values) for (let h = 0; h < H; h++) weightedRowSumF64(p.subarray(h * T, (h + 1) * T), v, h * D, H * D, D, T, out, h * D);
    };
    const sumsHeads = (out: Float32Array) => (): void => {
      for (const v of values) headWeightedSumF64(p, T, v, at, T, out, 0);
    };
    sumsPerHead(a)();
    sumsHeads(b)();
    if (a.some((x, i) => !Object.is(x, b[i]))) throw new Error("decode attention sums: the heads kernel differs from the per-head one");
    await compare(`a decode step's attention weighted sums, 24 layers x 16 heads of 96, ${T} cached positions`, [
      { name: "one head at a time (weightedRowSumF64)", fn: sumsPerHead(a) },
      { name: "all heads per position (headWeightedSumF64)", fn: sumsHeads(b) },
    ], { baseline: "one head at a time (weightedRowSumF64)", time: 1500, iterations: 20 });
  }
}

/** Runs the suite. */
export async function run(): Promise<void> {
  console.log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(", ")} (2 vCPUs shared: expect noise)`);
  for (const [N, K] of [[4096, 4096], [1536, 4096], [4096, 1536], [1536, 1536]] as const) await ternaryMatvec(N, K);
  await floatMatmul();
  await trainingStep();
  npmStartThroughput(10);
  await decodeStepProducts();
  await decodeAttention();
  await decodeAttentionLoops();
  await decodeHostLoops();
  console.log(`load average at end: ${loadavg().map((v) => v.toFixed(2)).join(", ")}`);
}
