// BitLinear against independent loops: the training forward, its STE
// gradients, the frozen integer path (equal to training up to float rounding),
// compression ratio and sparsity, and the config's validation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Var, param } from "@bitnet-quantize/autograd";
import { randn, tensor } from "@bitnet-quantize/tensor";
import { findMismatch } from "@bitnet-quantize/tensor/testing";
import {
  BitLinear, BitNetConfig, ConfigError, absMaxInt8, absMeanTernary, dequantizeInt8, dequantizeTernary,
} from "@bitnet-quantize/bitnet";

const SEED = 1158;

/** y = xq · wqᵀ + b by loops, from the quantizers' dequantized values. */
function referenceForward(x: Float64Array | Float32Array, wq: ArrayLike<number>, b: ArrayLike<number> | null, M: number, K: number, N: number): Float64Array {
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let s = b === null ? 0 : b[n];
      for (let k = 0; k < K; k++) s += x[m * K + k] * wq[n * K + k];
      y[m * N + n] = s;
    }
  return y;
}

const layerCase = fc.record({
  batch: fc.integer({ min: 1, max: 6 }),
  inF: fc.integer({ min: 1, max: 40 }),
  outF: fc.integer({ min: 1, max: 12 }),
  groupSize: fc.constantFrom<"tensor" | "row" | number>("tensor", "row", 16, 7),
  perToken: fc.boolean(),
  bits: fc.constantFrom(4, 8),
  bias: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describe("BitLinear", () => {
  it("training forward equals the fake-quantized product; STE gradients equal the plain linear's at that point", () => {
    fc.assert(
      fc.property(layerCase, (c) => {
        const config = new BitNetConfig({ groupSize: c.groupSize, perToken: c.perToken, activationBits: c.bits });
        const layer = new BitLinear(c.inF, c.outF, { bias: c.bias, config, seed: c.seed });
        const x = param(randn([c.batch, c.inF], { seed: c.seed + 1 }));
        const y = layer.forward(x);
        const xq = dequantizeInt8(absMaxInt8(x.value, { bits: c.bits, perToken: c.perToken })).cast("float32").dataSync();
        const wq = dequantizeTernary(absMeanTernary(layer.weight.value, { groupSize: c.groupSize })).cast("float32").dataSync();
        const ref = referenceForward(xq, wq, layer.bias?.value.dataSync() ?? null, c.batch, c.inF, c.outF);
        expect(y.shape).toEqual([c.batch, c.outF]);
        expect(findMismatch(y.value, ref, { rtol: 1e-5, atol: 1e-5 })).toBeUndefined();

        const g = randn([c.batch, c.outF], { seed: c.seed + 2 }).dataSync();
        y.mul(tensor(g, [c.batch, c.outF])).sum().backward();
        // dW[n,k] = Σ_m g[m,n]·xq[m,k]; dx[m,k] = Σ_n g[m,n]·wq[n,k]
        const dW = new Float64Array(c.outF * c.inF);
        const dx = new Float64Array(c.batch * c.inF);
        for (let m = 0; m < c.batch; m++)
          for (let n = 0; n < c.outF; n++)
            for (let k = 0; k < c.inF; k++) {
              dW[n * c.inF + k] = dW[n * c.inF + k] + g[m * c.outF + n] * xq[m * c.inF + k];
              dx[m * c.inF + k] = dx[m * c.inF + k] + g[m * c.outF + n] * wq[n * c.inF + k];
            }
        expect(findMismatch(layer.weight.grad ?? tensor([]), dW, { rtol: 1e-4, atol: 1e-5 })).toBeUndefined();
        expect(findMismatch(x.grad ?? tensor([]), dx, { rtol: 1e-4, atol: 1e-5 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("frozen forward (int8 x packed ternary kernel) agrees with the training forward, for 2-D and 3-D input", () => {
    fc.assert(
      fc.property(layerCase, fc.boolean(), (c, useRmsNorm) => {
        const config = new BitNetConfig({ groupSize: c.groupSize, perToken: c.perToken, activationBits: c.bits, useRmsNorm });
        const layer = new BitLinear(c.inF, c.outF, { bias: c.bias, config, seed: c.seed });
        const x = new Var(randn([2, c.batch, c.inF], { seed: c.seed + 3 }));
        const train = layer.forward(x).value;
        layer.freeze();
        expect(layer.isFrozen).toBe(true);
        const frozen = layer.forward(x);
        expect(frozen.shape).toEqual([2, c.batch, c.outF]);
        expect(frozen.requiresGrad).toBe(false);
        expect(findMismatch(frozen.value, train, { rtol: 1e-4, atol: 1e-5 })).toBeUndefined();
        layer.unfreeze();
        expect(findMismatch(layer.forward(x).value, train, { rtol: 0, atol: 0 })).toBeUndefined();
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("without STE, forward is the plain float linear", () => {
    const layer = BitLinear.fromWeight(tensor([[1, 2], [3, 4]]), tensor([0.5, -0.5]), new BitNetConfig({ useSte: false }));
    expect(layer.forward(new Var(tensor([[1, 1]]))).value.toArray()).toEqual([[3.5, 6.5]]);
  });

  it("compression ratio and sparsity follow the crate's definitions", () => {
    const g64 = new BitLinear(1024, 4096, { config: new BitNetConfig({ groupSize: 64 }) });
    expect(g64.compressionRatio()).toBeCloseTo(12.8, 10); // 32 / (2 + 32/64)
    const perTensor = new BitLinear(256, 512);
    expect(perTensor.compressionRatio()).toBeCloseTo((512 * 256 * 4) / (512 * 16 * 4 + 4), 10);
    const layer = BitLinear.fromWeight(tensor([[1, 0, 0, 0], [0, 0, 0, -1]]), null);
    expect(layer.sparsity()).toBe(0.75);
    expect(layer.quantizedWeight().codes.toArray()).toEqual([[1, 0, 0, 0], [0, 0, 0, -1]]);
  });

  it("rejects bad shapes and configs with clear errors", () => {
    expect(() => new BitLinear(0, 2)).toThrow(/inFeatures must be a positive integer/);
    expect(() => new BitLinear(3, 2).forward(new Var(randn([2, 4])))).toThrow(/must end in inFeatures = 3/);
    expect(() => BitLinear.fromWeight(randn([3]), null)).toThrow(/2-D/);
    expect(() => BitNetConfig.builder().activationBits(9).build()).toThrow(ConfigError);
    expect(() => BitNetConfig.builder().groupSize(0).build()).toThrow(/groupSize must be "tensor", "row" or a positive integer, got 0/);
    expect(() => new BitNetConfig({ eps: 0 })).toThrow(/eps/);
    const cfg = BitNetConfig.builder().groupSize(128).activationBits(8).perToken(true).useSte(true).build();
    expect(cfg.toJSON()).toEqual({ groupSize: 128, activationBits: 8, perToken: true, useSte: true, useRmsNorm: false, eps: 1e-5, rounding: "half-even" });
    expect(new BitNetConfig(JSON.parse(JSON.stringify(cfg)) as object)).toEqual(cfg);
    expect(BitNetConfig.default().with({ activationBits: 4 }).activationBits).toBe(4);
  });

  it("learns: QAT fits a small regression target", () => {
    const teacher = randn([4, 16], { seed: 5 });
    const xs = randn([64, 16], { seed: 6 });
    const ys = xs.matmul(teacher.transpose());
    const layer = new BitLinear(16, 4, { seed: 7 });
    const lr = 0.05;
    const loss = (): number => layer.forward(new Var(xs)).sub(new Var(ys)).pow(2).mean().value.item();
    const before = loss();
    for (let step = 0; step < 150; step++) {
      const l = layer.forward(new Var(xs)).sub(new Var(ys)).pow(2).mean();
      layer.weight.zeroGrad();
      layer.bias?.zeroGrad();
      l.backward();
      for (const p of layer.parameters()) p.value = p.value.sub((p.grad ?? p.value.mul(0)).mul(lr));
    }
    expect(loss()).toBeLessThan(before * 0.5);
  });
});
