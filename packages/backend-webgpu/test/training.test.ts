// Autograd and BitNet on WebGPU, unchanged: a small MLP trained for a few SGD
// steps on WebGPU and on the CPU from the same seed gives the same loss curve;
// BitLinear's frozen (packed ternary) forward runs through the GPU kernel.
import { afterAll, describe, expect, it } from "vitest";
import { type Backend, type DType, type Tensor, cpuBackend, randint, randn } from "@bitnet-quantize/tensor";
import { packTernary, ternaryMatmul } from "@bitnet-quantize/tensor/quant";
import { Var, relu } from "@bitnet-quantize/autograd";
import { Linear, mse } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";
import { BitLinear, BitNetConfig, absMaxInt8 } from "@bitnet-quantize/bitnet";
import type { WebGPUBackend } from "@bitnet-quantize/backend-webgpu";
import { anyBackend } from "./webgpu-env.js";

const acquired = await anyBackend();
if (acquired.backend === null) console.warn(`skipping WebGPU training tests: ${acquired.reason}`);

/** Moves a CPU tensor to `backend` (itself on the CPU). */
async function on<D extends DType>(t: Tensor<D>, backend: Backend): Promise<Tensor<D>> {
  return t.toAsync(backend);
}

/** Trains 8 -> 16 -> 4 (ReLU, MSE, SGD with momentum) for `steps` steps; returns the loss before each step. */
async function lossCurve(backend: Backend, steps: number): Promise<number[]> {
  const fc1 = new Linear(8, 16, { seed: 1 });
  const fc2 = new Linear(16, 4, { seed: 2 });
  const params = [...fc1.parameters(), ...fc2.parameters()];
  for (const p of params) p.value = await on(p.value, backend);
  const x = await on(randn([32, 8], { seed: 3 }), backend);
  const y = await on(randn([32, 4], { seed: 4 }), backend);
  const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = mse(fc2.forward(relu(fc1.forward(new Var(x)))), y);
    loss.backward();
    opt.step();
    losses.push(((await loss.value.data()) as Float32Array)[0]);
  }
  for (const p of params) expect(p.value.backend).toBe(backend);
  return losses;
}

describe.skipIf(acquired.backend === null)(`training on WebGPU (${acquired.backend === null ? "none" : acquired.driver})`, () => {
  const gpu = acquired.backend as WebGPUBackend;
  afterAll(() => gpu.destroy());

  it("an MLP trained with SGD has the CPU's loss curve", async () => {
    const cpu = await lossCurve(cpuBackend(), 8);
    const web = await lossCurve(gpu, 8);
    expect(cpu[7]).toBeLessThan(cpu[0]);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(web[i] - cpu[i])).toBeLessThan(1e-4 * Math.abs(cpu[i]) + 1e-6);
  });

  it("BitLinear quantization-aware training (ternary and int8 STE) runs on WebGPU with the CPU's loss curve", async () => {
    const curve = async (backend: Backend): Promise<number[]> => {
      const layer = new BitLinear(32, 8, { seed: 7, config: BitNetConfig.builder().groupSize(16).build() });
      for (const p of layer.parameters()) p.value = await on(p.value, backend);
      const x = await on(randn([16, 32], { seed: 8 }), backend);
      const y = await on(randn([16, 8], { seed: 9 }), backend);
      const opt = new SGD(layer.parameters(), { lr: 0.05 });
      const losses: number[] = [];
      for (let s = 0; s < 6; s++) {
        opt.zeroGrad();
        const loss = mse(layer.forward(new Var(x)), y);
        loss.backward();
        opt.step();
        losses.push(((await loss.value.data()) as Float32Array)[0]);
      }
      expect(layer.weight.value.backend).toBe(backend);
      return losses;
    };
    const cpu = await curve(cpuBackend());
    const web = await curve(gpu);
    expect(cpu[5]).toBeLessThan(cpu[0]);
    // fake-quantized values can flip at rounding ties between f32 (GPU) and f64 (CPU) arithmetic: compare loosely
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(web[i] - cpu[i])).toBeLessThan(1e-3 * Math.abs(cpu[i]) + 1e-5);
  });

  it("a frozen BitLinear's packed weights and int8 activations run through the GPU ternary kernel and match the CPU forward", async () => {
    const layer = new BitLinear(96, 24, { seed: 5, config: BitNetConfig.builder().groupSize(32).build() });
    layer.freeze();
    const x = randn([3, 96], { seed: 6 });
    const want = await layer.forward(new Var(x)).value.data();
    // the frozen weights, moved to the GPU
    const q = layer.quantizedWeight();
    const G = q.scales.shape[1];
    const packed = packTernary(q.codes);
    const words = await on(packed.words, gpu);
    const wScale = await on(q.scales.expand([24, G]).cast("float32").contiguous(), gpu);
    // activations quantized on the GPU by bitnet's tensor path, then the GPU kernel
    const a = absMaxInt8(await on(x, gpu));
    expect(a.codes.backend).toBe(gpu);
    const y = ternaryMatmul(a.codes, { words, shape: packed.shape }, a.scales.reshape([3]), wScale, q.groupColumns);
    expect(y.backend).toBe(gpu);
    const got = await (layer.bias === null ? y : y.add(await on(layer.bias.value, gpu))).data();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 * (1 + Math.abs(want[i])));
    // and through BitLinear itself: input on the GPU moves the packed weights there once
    const viaLayer = layer.forward(new Var(await on(x, gpu))).value;
    expect(viaLayer.backend).toBe(gpu);
    const layerGot = await viaLayer.data();
    for (let i = 0; i < want.length; i++) expect(Math.abs(layerGot[i] - want[i])).toBeLessThan(1e-5 * (1 + Math.abs(want[i])));
  });

  it("packTernary and BitLinear.freeze() work on weights that live on the GPU", async () => {
    const t = randint(-1, 2, [5, 37], { seed: 11 }).cast("int8");
    const cpuWords = await packTernary(t).words.data();
    const gpuPacked = packTernary(await on(t, gpu));
    expect(gpuPacked.words.backend).toBe(gpu);
    expect(Array.from(await gpuPacked.words.data())).toEqual(Array.from(cpuWords));

    const config = BitNetConfig.builder().groupSize("row").build();
    const onCpu = new BitLinear(48, 16, { seed: 12, config });
    const onGpu = new BitLinear(48, 16, { seed: 12, config });
    for (const p of onGpu.parameters()) p.value = await on(p.value, gpu);
    onCpu.freeze();
    onGpu.freeze();
    const x = randn([3, 48], { seed: 13 });
    const want = await onCpu.forward(new Var(x)).value.data();
    const y = onGpu.forward(new Var(await on(x, gpu))).value;
    expect(y.backend).toBe(gpu);
    const got = await y.data();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4 * (1 + Math.abs(want[i])));
  });

  it("argmax over logits computed on the GPU matches the CPU", async () => {
    const logits = randint(-50, 50, [16, 10], { seed: 7 }).cast("float32");
    const g = await on(logits, gpu);
    expect(Array.from(await g.argmax(1).data())).toEqual(Array.from(logits.argmax(1).dataSync()));
  });
});
