// Deterministic GPU memory: a small MLP trained for 2,000 Adam steps on
// WebGPU, each step inside `tidy`, keeps the process's resident memory within
// 1.5x of its value after the first 100 steps, with no forced gc(). The pool's
// buffer reuse and the optimizer's disposal of replaced values carry it.
import { afterAll, describe, expect, it } from "vitest";
import { type Tensor, randn, tidy } from "@bitnet-quantize/tensor";
import { Var, relu } from "@bitnet-quantize/autograd";
import { Linear, mse } from "@bitnet-quantize/autograd/nn";
import { Adam } from "@bitnet-quantize/autograd/optim";
import type { WebGPUBackend } from "@bitnet-quantize/backend-webgpu";
import { anyBackend } from "./webgpu-env.js";

const acquired = await anyBackend();
if (acquired.backend === null) console.warn(`skipping the WebGPU soak test: ${acquired.reason}`);

const STEPS = 2000;
const WARMUP = 100;

describe.skipIf(acquired.backend === null)(`memory over a long run on WebGPU (${acquired.backend === null ? "none" : acquired.driver})`, () => {
  const gpu = acquired.backend as WebGPUBackend;
  afterAll(() => gpu.destroy());

  it(`resident memory stays within 1.5x of its value after ${WARMUP} steps over ${STEPS} steps (no gc())`, { timeout: 300_000 }, async () => {
    const fc1 = new Linear(16, 64, { seed: 1 });
    const fc2 = new Linear(64, 4, { seed: 2 });
    const params = [...fc1.parameters(), ...fc2.parameters()];
    for (const p of params) p.value = await p.value.toAsync(gpu);
    const x = await randn([64, 16], { seed: 3 }).toAsync(gpu);
    const y = await randn([64, 4], { seed: 4 }).toAsync(gpu);
    const opt = new Adam(params, { lr: 1e-3 });
    let atWarmup = 0;
    let peak = 0;
    let first = Number.NaN;
    let last = Number.NaN;
    for (let s = 0; s < STEPS; s++) {
      const loss: Tensor = tidy(() => {
        opt.zeroGrad();
        const l = mse(fc2.forward(relu(fc1.forward(new Var(x)))), y);
        l.backward();
        opt.step();
        return l.value;
      });
      // the loss is read every step, as a training loop does (reading syncs
      // with the GPU, so recorded work cannot pile up)
      const v = (await loss.data())[0];
      if (s === 0) first = v;
      last = v;
      loss.dispose();
      // RSS swings with each V8 collection: the level after warm-up is the
      // highest of steps 51..100, compared with the highest of every later step
      if (s >= WARMUP / 2 && s < WARMUP) atWarmup = Math.max(atWarmup, process.memoryUsage().rss);
      if (s >= WARMUP) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(last).toBeLessThan(first);
    const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
    console.log(`soak: rss after ${WARMUP} steps ${mib(atWarmup)}, peak after ${mib(peak)} (${(peak / atWarmup).toFixed(2)}x); pooled ${mib(gpu.stats().bytesPooled)}, buffers created ${gpu.stats().buffersCreated}, bind groups ${gpu.stats().bindGroups} for ${gpu.stats().dispatches} dispatches`);
    expect(peak).toBeLessThanOrEqual(1.5 * atWarmup);
    // the pool's buffers are reused, not created anew each step
    expect(gpu.stats().buffersCreated).toBeLessThan(STEPS);
  });
});
