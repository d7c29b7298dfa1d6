// Standalone WebGPU timing for a real GPU, meant to be bundled and run on its own
// (no vitest, no tsx): 4096^3 float matmul (v1 naive vs v2 tiled) and an
// 8192x8192 packed-ternary matvec (v1 vs v2, int8 activations). Prints a table
// and one JSON line. Run here too: `node --conditions=@bitnet-quantize/source --import tsx bench/src/webgpu-gpu.ts --small`.
import { create } from "webgpu";
import { matmul, randint, randn } from "@bitnet-quantize/tensor";
import { packTernary, ternaryMatmul } from "@bitnet-quantize/tensor/quant";
import { type WebGPUBackend, createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";

interface Result {
  readonly name: string;
  readonly ms: number;
  readonly tflops: number;
  readonly gbs: number;
  readonly source: string;
}

async function backend(kernels: { matmul?: "v1-naive" | "v2-tiled"; ternary?: "v1" | "v2" }, device?: GPUDevice): Promise<WebGPUBackend> {
  if (device !== undefined) return createWebGPUBackend({ device, kernels });
  // run.sh of gpu-bundle.sh sets GPU_BACKEND=opengles: Dawn reaches the NVIDIA driver through OpenGL ES there
  const gl = process.env["GPU_BACKEND"] === "opengles";
  return createWebGPUBackend({
    gpu: create(gl ? ["backend=opengles"] : []),
    ...(gl ? { featureLevel: "compatibility" as const } : {}),
    powerPreference: "high-performance",
    kernels,
  });
}

async function main(): Promise<void> {
  const small = process.argv.includes("--small");
  const S = small ? 512 : 4096;
  const T = small ? 1024 : 8192;
  const first = await backend({ matmul: "v2-tiled", ternary: "v2" });
  console.log(`adapter: ${first.info.adapter} (${first.info.featureLevel}, dot4 ${first.info.dot4}, timestamps ${first.info.timestampQuery})`);
  const v1 = await backend({ matmul: "v1-naive", ternary: "v1" }, first.device);
  const results: Result[] = [];
  const aCpu = randn([S, S], { seed: 1 });
  const bCpu = randn([S, S], { seed: 2 });
  const packed = packTernary(randint(-1, 2, [T, T], { dtype: "int8", seed: 3 }));
  const wScaleCpu = randn([T, 1], { seed: 4 }).abs();
  const xCpu = randint(-127, 128, [1, T], { dtype: "int8", seed: 5 });
  const xsCpu = randn([1], { seed: 6 }).abs().add(1);
  for (const [name, g] of [
    ["v2", first],
    ["v1", v1],
  ] as const) {
    // operands live on the backend that runs them (tensors belong to one backend object)
    const a = await aCpu.toAsync(g);
    const b = await bCpu.toAsync(g);
    const words = await packed.words.toAsync(g);
    const wScale = await wScaleCpu.toAsync(g);
    const x = await xCpu.toAsync(g);
    const xs = await xsCpu.toAsync(g);
    // matmul: warm-up (compile), then reps in one submission
    await g.timeGpu(() => void matmul(a, b));
    const reps = small ? 5 : name === "v1" ? 3 : 10;
    const tm = await g.timeGpu(() => {
      for (let i = 0; i < reps; i++) matmul(a, b).dispose();
    });
    const mms = tm.ms / reps;
    results.push({ name: `matmul f32 ${S}^3 ${name}`, ms: mms, tflops: (2 * S ** 3) / mms / 1e9, gbs: (3 * 4 * S * S) / mms / 1e6, source: tm.source });
    await g.timeGpu(() => void ternaryMatmul(x, { words, shape: packed.shape }, xs, wScale, T));
    const treps = 100;
    const tt = await g.timeGpu(() => {
      for (let i = 0; i < treps; i++) ternaryMatmul(x, { words, shape: packed.shape }, xs, wScale, T).dispose();
    });
    const tms = tt.ms / treps;
    results.push({ name: `ternary matvec ${T}x${T} ${name}`, ms: tms, tflops: (2 * T * T) / tms / 1e9, gbs: (T * T) / 4 / tms / 1e6, source: tt.source });
  }
  console.table(results.map((r) => ({ ...r, ms: r.ms.toFixed(4), tflops: r.tflops.toFixed(3), gbs: r.gbs.toFixed(1) })));
  console.log("(ternary GB/s counts the packed weight bytes only: 2 bits per weight)");
  console.log(JSON.stringify({ adapter: first.info.adapter, results }));
  v1.destroy();
  first.destroy();
}

await main();
