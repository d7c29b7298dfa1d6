// The browser check's page: runs the packed ternary matmul, a few float ops and
// a few training steps on navigator.gpu, compares each with the CPU backend,
// and leaves the report in globalThis.__report for the test to read.
import { type Backend, cpuBackend, matmul, randint, randn, sum } from "@bitnet-quantize/tensor";
import { packTernary, ternaryMatmul } from "@bitnet-quantize/tensor/quant";
import { Var, relu } from "@bitnet-quantize/autograd";
import { Linear, mse } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";
import { createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";

/** What the page reports. */
export interface BrowserReport {
  readonly adapter: string;
  readonly featureLevel: string;
  /** Largest |gpu - cpu| / (1 + |cpu|) per check. */
  readonly errors: Record<string, number>;
  readonly lossesGpu: number[];
  readonly lossesCpu: number[];
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < b.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return e;
}

async function losses(backend: Backend): Promise<number[]> {
  const fc1 = new Linear(6, 8, { seed: 1 });
  const fc2 = new Linear(8, 2, { seed: 2 });
  const params = [...fc1.parameters(), ...fc2.parameters()];
  for (const p of params) p.value = await p.value.toAsync(backend);
  const x = await randn([16, 6], { seed: 3 }).toAsync(backend);
  const y = await randn([16, 2], { seed: 4 }).toAsync(backend);
  const opt = new SGD(params, { lr: 0.1 });
  const out: number[] = [];
  for (let s = 0; s < 3; s++) {
    opt.zeroGrad();
    const loss = mse(fc2.forward(relu(fc1.forward(new Var(x)))), y);
    loss.backward();
    opt.step();
    out.push((await loss.value.data())[0]);
  }
  return out;
}

async function run(): Promise<BrowserReport> {
  const gpu = await createWebGPUBackend();
  const cpu = cpuBackend();
  const errors: Record<string, number> = {};
  // packed ternary matmul, int8 activations, per-group weight scales
  const codes = randint(-1, 2, [8, 64], { dtype: "int8", seed: 5 });
  const packed = packTernary(codes);
  const x = randint(-127, 128, [2, 64], { dtype: "int8", seed: 6 });
  const xScale = randn([2], { seed: 7 }).abs().add(1);
  const wScale = randn([8, 2], { seed: 8 }).abs().add(0.1);
  const want = ternaryMatmul(x, packed, xScale, wScale, 32).dataSync();
  const words = await packed.words.toAsync(gpu);
  const got = ternaryMatmul(await x.toAsync(gpu), { words, shape: packed.shape }, await xScale.toAsync(gpu), await wScale.toAsync(gpu), 32);
  errors["ternaryMatmul"] = relErr(await got.data(), want);
  // float ops
  const a = randn([5, 7], { seed: 9 });
  const b = randn([7, 3], { seed: 10 });
  const ga = await a.toAsync(gpu);
  const gb = await b.toAsync(gpu);
  errors["matmul"] = relErr(await matmul(ga, gb).data(), matmul(a, b).dataSync());
  errors["exp-add-transpose"] = relErr(await ga.exp().add(ga.transpose().transpose()).data(), a.exp().add(a).dataSync());
  errors["sum"] = relErr(await sum(ga, 1).data(), sum(a, 1).dataSync());
  // training
  const lossesCpu = await losses(cpu);
  const lossesGpu = await losses(gpu);
  errors["losses"] = relErr(lossesGpu, lossesCpu);
  const report = { adapter: gpu.info.adapter, featureLevel: gpu.info.featureLevel, errors, lossesGpu, lossesCpu };
  gpu.destroy();
  return report;
}

const slot = globalThis as { __report?: Promise<BrowserReport | { error: string }> };
slot.__report = run().catch((e: unknown) => ({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }));
