// The numbered kernel versions held to each other and to the CPU backend
// (matmul v1 naive vs v2 tiled, ternary v1 vs v2 with and without dot4I8Packed),
// plus what the backend promises beyond the conformance suite: float64 refused,
// buffers pooled, pipelines cached, storages of other backends rejected.
import { afterAll, describe, expect, it } from "vitest";
import { BackendError, DTypeError, type Tensor, cpuBackend, matmul, randint, randn, tensor, zeros } from "@bitnet-quantize/tensor";
import { packTernary, ternaryMatmul } from "@bitnet-quantize/tensor/quant";
import { type WebGPUBackend, createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";
import { anyBackend } from "./webgpu-env.js";

const acquired = await anyBackend();
if (acquired.backend === null) console.warn(`skipping WebGPU kernel tests: ${acquired.reason}`);
const base = acquired.backend;
const cpu = cpuBackend();

async function maxRelErr(a: Tensor, b: Tensor): Promise<number> {
  const x = await a.data();
  const y = await b.data();
  expect(x.length).toBe(y.length);
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
  let err = 0;
  for (let i = 0; i < y.length; i++) err = Math.max(err, Math.abs(x[i] - y[i]));
  return err / Math.max(scale, 1e-30);
}

describe.skipIf(base === null)(`webgpu kernels on ${acquired.backend === null ? "none" : acquired.driver}`, () => {
  const gpu = base as WebGPUBackend;
  const variants: Record<string, WebGPUBackend> = {};
  const variant = async (name: string, opts: Parameters<typeof createWebGPUBackend>[0]): Promise<WebGPUBackend> => {
    variants[name] ??= await createWebGPUBackend({ ...opts, device: gpu.device });
    return variants[name];
  };
  afterAll(() => {
    for (const v of Object.values(variants)) v.destroy();
    gpu.destroy();
  });

  for (const [m, k, n, batch] of [
    [1, 300, 70, 1],
    [17, 33, 65, 1],
    [96, 80, 130, 2],
  ] as const) {
    it(`matmul v1-naive and v2-tiled match the CPU backend (${batch}x${m}x${k}x${n})`, async () => {
      const a = randn([batch, m, k], { seed: m + k });
      const b = randn([batch, k, n], { seed: n + k });
      const want = matmul(a, b);
      for (const version of ["v1-naive", "v2-tiled"] as const) {
        const g = await variant(version, { kernels: { matmul: version } });
        const got = matmul(await a.toAsync(g), (await b.toAsync(g)).transpose(1, 2).contiguous().transpose(1, 2));
        expect(await maxRelErr(got, want)).toBeLessThan(1e-5);
      }
    });
  }

  for (const [m, n, k, gs, xDtype] of [
    [1, 37, 256, 256, "int8"],
    [5, 20, 160, 32, "int8"],
    [3, 11, 70, 16, "float32"],
    [4, 9, 64, 64, "float32"],
    [2, 6, 4200, 4200, "int8"], // long rows: 64 invocations per workgroup
    [1, 5, 2100, 64, "float32"], // 32 invocations per workgroup
  ] as const) {
    it(`ternary v1, v2 with dot4I8Packed and v2 scalar agree with the CPU kernel (${xDtype}, ${m}x${k} · ${n}x${k}, group ${gs})`, async () => {
      const t = randint(-1, 2, [n, k], { dtype: "int8", seed: k + n });
      const packed = packTernary(t);
      const x = xDtype === "int8" ? randint(-127, 128, [m, k], { dtype: "int8", seed: m }) : randn([m, k], { seed: m });
      const xScale = xDtype === "int8" ? randn([m], { seed: 5 }).abs().add(0.5) : zeros([m]).add(1);
      const wScale = randn([n, Math.ceil(k / gs)], { seed: 6 }).abs().add(0.01);
      const want = ternaryMatmul(x, packed, xScale, wScale, gs);
      for (const [name, opts] of [
        ["v1", { kernels: { ternary: "v1" } }],
        ["v2-dot4", { kernels: { ternary: "v2" }, dot4: gpu.info.dot4 }],
        ["v2-scalar", { kernels: { ternary: "v2" }, dot4: false }],
      ] as const) {
        const g = await variant(name, opts);
        const onGpu = { words: await packed.words.toAsync(g), shape: packed.shape };
        const got = ternaryMatmul(await x.toAsync(g), onGpu, await xScale.toAsync(g), await wScale.toAsync(g), gs);
        expect(got.backend).toBe(g);
        expect(await maxRelErr(got, want)).toBeLessThan(2e-6);
      }
    });
  }

  it("reports whether dot4I8Packed is used", () => {
    expect(typeof gpu.info.dot4).toBe("boolean");
    expect(["core", "compatibility"]).toContain(gpu.info.featureLevel);
  });

  it("refuses float64 with a DTypeError naming the op", () => {
    expect(() => gpu.upload(new Float64Array([1]), "float64")).toThrow(DTypeError);
    expect(() => gpu.upload(new Float64Array([1]), "float64")).toThrow(/upload: float64 is not supported/);
    expect(() => zeros([2], "float64", gpu)).toThrow(/alloc: float64/);
  });

  it("rejects storages of another backend, naming both", () => {
    const c = tensor([1, 2], undefined, undefined, cpu);
    expect(() => gpu.unary("neg", c.view)).toThrow(BackendError);
    expect(() => gpu.unary("neg", c.view)).toThrow(/storage of backend "cpu"/);
  });

  it("keeps results on the GPU until read, reuses freed buffers and caches pipelines", async () => {
    const x = randn([64, 64], { seed: 1, backend: gpu });
    const one = randn([64], { seed: 2, backend: gpu });
    await x.add(one).data(); // warm up: compiles "add"
    const before = gpu.stats();
    for (let i = 0; i < 20; i++) {
      const y = x.add(one);
      y.dispose();
    }
    gpu.flush();
    const after = gpu.stats();
    expect(after.pipelines).toBe(before.pipelines);
    expect(after.buffersCreated - before.buffersCreated).toBeLessThanOrEqual(2);
    expect(after.buffersReused - before.buffersReused).toBeGreaterThanOrEqual(18);
    expect(after.submits - before.submits).toBeLessThanOrEqual(1);
  });

  it("refuses a storage larger than the device can bind, naming the sizes", () => {
    const limit = gpu.device.limits.maxStorageBufferBindingSize;
    expect(() => gpu.alloc("float32", Math.ceil(limit / 4) + 1)).toThrow(/the device binds at most \d+ bytes per buffer/);
  });

  it("gives a clear error after the device is lost", async () => {
    const own = await createWebGPUBackend({ device: await (async () => {
      const adapterDevice = await anyBackend();
      if (adapterDevice.backend === null) throw new Error(adapterDevice.reason);
      return adapterDevice.backend.device;
    })() });
    const t = tensor([1, 2, 3], undefined, undefined, own);
    own.device.destroy();
    await own.device.lost;
    expect(() => t.add(1)).toThrow(/device was lost/);
    await expect(t.data()).rejects.toThrow(/device was lost/);
  });
});

