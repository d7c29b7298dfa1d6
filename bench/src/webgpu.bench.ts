// Float matmul and packed ternary matmul on WebGPU (Dawn from the `webgpu`
// package; lavapipe on machines without a GPU) vs the CPU backend, at K = N =
// 1024 and 4096, batch (M) 1 and 32. GPU time is measured over many dispatches
// in one submission. CPU-emulated GPU timings prove plumbing, not GPU speed.
import { create } from "webgpu";
import { type Tensor, cpuBackend, matmul, randint, randn } from "@bitnet-quantize/tensor";
import { packTernary, ternaryMatmul } from "@bitnet-quantize/tensor/quant";
import { type WebGPUBackend, createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";
import { type Timing, timeCpu, timeGpu } from "./webgpu-timing.js";

interface Row {
  op: string;
  size: string;
  M: number;
  "cpu ms": string;
  "webgpu ms": string;
  "webgpu/cpu": string;
  "webgpu GFLOP/s": string;
  timing: string;
}

function row(op: string, m: number, k: number, n: number, cpu: Timing | null, gpu: Timing): Row {
  const flop = 2 * m * k * n;
  return {
    op,
    size: `${k}x${n}`,
    M: m,
    "cpu ms": cpu === null ? "skipped" : cpu.ms.toFixed(2),
    "webgpu ms": gpu.ms.toFixed(2),
    "webgpu/cpu": cpu === null ? "-" : `${(cpu.ms / gpu.ms).toFixed(2)}x`,
    "webgpu GFLOP/s": (flop / gpu.ms / 1e6).toFixed(2),
    timing: `${gpu.reps} reps, ${gpu.source}`,
  };
}

/** Runs the suite (`npm run bench -- webgpu`; `--quick` for 1024 only). */
export async function run(): Promise<void> {
  let gpu: WebGPUBackend;
  try {
    gpu = await createWebGPUBackend({ gpu: create([]) });
  } catch (e) {
    console.log(`no WebGPU adapter, suite skipped: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  console.log(`WebGPU adapter: ${gpu.info.adapter} (${gpu.info.featureLevel}, dot4I8Packed ${gpu.info.dot4 ? "yes" : "no"}, timestamps ${gpu.info.timestampQuery ? "yes" : "no"})`);
  const cpu = cpuBackend();
  const quick = process.argv.includes("--quick");
  const rows: Row[] = [];
  for (const size of quick ? [1024] : [1024, 4096]) {
    const w = randn([size, size], { seed: 1, backend: cpu });
    const wGpu = await w.toAsync(gpu);
    const codes = randint(-1, 2, [size, size], { dtype: "int8", seed: 2, backend: cpu });
    const packed = packTernary(codes);
    const packedGpu = { words: await packed.words.toAsync(gpu), shape: packed.shape };
    const wScale = randn([size, 1], { seed: 3, backend: cpu }).abs();
    const wScaleGpu = await wScale.toAsync(gpu);
    for (const m of [1, 32]) {
      const big = size * size * m > 64 * 1024 * 1024;
      const reps = big ? 2 : size >= 4096 || m > 1 ? 4 : 20;
      const x = randn([m, size], { seed: 4, backend: cpu });
      const xGpu = await x.toAsync(gpu);
      // float matmul: x [M, K] · W [K, N]
      const cpuMm = timeCpu(() => void matmul(x, w), big ? 1 : reps);
      const gpuMm = await timeGpu(gpu, () => matmul(xGpu, wGpu), reps);
      rows.push(row("matmul f32", m, size, size, cpuMm, gpuMm));
      // packed ternary: int8 x [M, K] · Wᵀ, W [N, K] packed 16 codes per u32
      const xq = randint(-127, 128, [m, size], { dtype: "int8", seed: 5, backend: cpu });
      const xs = randn([m], { seed: 6, backend: cpu }).abs().add(1);
      const xqGpu = await xq.toAsync(gpu);
      const xsGpu = await xs.toAsync(gpu);
      const cpuT = timeCpu(() => void ternaryMatmul(xq, packed, xs, wScale, size), reps);
      const gpuT = await timeGpu(gpu, (): Tensor => ternaryMatmul(xqGpu, packedGpu, xsGpu, wScaleGpu, size), reps);
      rows.push(row("ternary i8", m, size, size, cpuT, gpuT));
      console.log(`  done ${size} M=${m}`);
    }
  }
  console.table(rows);
  console.log("CPU backend: the library's blocked f32 matmul and LUT ternary kernels, one thread. WebGPU: matmul v1 for M < 16, v2 tiled otherwise; ternary v2.");
  gpu.destroy();
}
