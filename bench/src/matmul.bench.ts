// Float32 matmul on the CPU backend vs a plain triple loop, [64,1024] x [1024,4096]
// (issue 2's target: at least 3x), plus a few training-sized shapes.
import { matmul, randn } from "@bitnet-quantize/tensor";
import { compare } from "./compare.js";

function tripleLoop(a: Float32Array, b: Float32Array, c: Float32Array, M: number, K: number, N: number): void {
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
      c[i * N + j] = s;
    }
}

/** Runs the suite. */
export async function run(): Promise<void> {
  for (const [M, K, N] of [
    [64, 1024, 4096],
    [64, 784, 256],
  ] as const) {
    const a = randn([M, K], { seed: 1 });
    const b = randn([K, N], { seed: 2 });
    const ad = a.dataSync();
    const bd = b.dataSync();
    const c = new Float32Array(M * N);
    const gflop = (2 * M * K * N) / 1e9;
    const rows = await compare(`matmul [${M},${K}] x [${K},${N}] float32`, [
      { name: "plain triple loop", fn: () => tripleLoop(ad, bd, c, M, K, N) },
      { name: "tensor matmul (cpu)", fn: () => matmul(a, b) },
    ], { baseline: "plain triple loop", time: 3000, iterations: 5 });
    for (const r of rows) console.log(`  ${r.task}: ${(gflop / (r.medianMs / 1000)).toFixed(2)} GFLOP/s`);
  }
}
