// Guide (d): WebGPU in Node and in the browser. Run by docs/test/guides.test.ts
// (where Dawn finds no adapter, the test says so and skips this file).
import assert from "node:assert/strict";
// #region node
import { create, globals } from "webgpu"; // Dawn for Node (npm install webgpu)
import { createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";
import { matmul, randn } from "@bitnet-quantize/tensor";

Object.assign(globalThis, globals); // GPUBufferUsage and friends
const gpu = await createWebGPUBackend({ gpu: create([]) }); // throws a clear error when there is no adapter
const a = randn([64, 32], { seed: 1 });
const b = randn([32, 16], { seed: 2 });
const onGpu = matmul(await a.toAsync(gpu), await b.toAsync(gpu)); // runs on the device
const result = await onGpu.data(); // reads are asynchronous on WebGPU: await data(), not dataSync()
const want = matmul(a, b).dataSync();
assert.ok(result.every((v, i) => Math.abs(v - want[i]) < 1e-4));
// #endregion node

// #region train
import { Var, relu } from "@bitnet-quantize/autograd";
import { Linear, mse } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";
import type { Backend } from "@bitnet-quantize/tensor";

/** Trains a small MLP on `backend`; the same code runs on the CPU and on WebGPU. */
export async function trainOn(backend: Backend): Promise<number[]> {
  const fc1 = new Linear(8, 16, { seed: 1 });
  const fc2 = new Linear(16, 1, { seed: 2 });
  const params = [...fc1.parameters(), ...fc2.parameters()];
  for (const p of params) p.value = await p.value.toAsync(backend); // move the weights once
  const x = await randn([32, 8], { seed: 3 }).toAsync(backend);
  const y = await randn([32, 1], { seed: 4 }).toAsync(backend);
  const opt = new SGD(params, { lr: 0.05 });
  const losses: number[] = [];
  for (let step = 0; step < 10; step++) {
    opt.zeroGrad();
    const loss = mse(fc2.forward(relu(fc1.forward(new Var(x)))), y);
    loss.backward();
    opt.step();
    losses.push((await loss.value.data())[0]);
  }
  return losses;
}
const losses = await trainOn(gpu);
assert.ok((losses.at(-1) as number) < losses[0]);
// #endregion train

// #region browser
/**
 * In a page or a worker, the browser's WebGPU replaces Dawn: pass
 * `navigator.gpu` (the playground does this in its worker, and falls back to
 * the CPU backend when it is missing or gives no adapter).
 */
export async function trainInBrowser(navigatorGpu: GPU): Promise<number[]> {
  const backend = await createWebGPUBackend({ gpu: navigatorGpu });
  try {
    return await trainOn(backend);
  } finally {
    backend.destroy();
  }
}
// Here Dawn's GPU object stands in for navigator.gpu: the same interface.
assert.equal((await trainInBrowser(create([]))).length, 10);
// #endregion browser
gpu.destroy();
