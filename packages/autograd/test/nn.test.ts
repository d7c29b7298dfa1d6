// Modules and functions of ./nn against plain loops and formulas: Linear,
// Embedding, RMSNorm, LayerNorm, Dropout, activations, losses, initializers,
// and Module traversal (names, get/setSubmodule, stateDict round trip).
import { describe, expect, it } from "vitest";
import { type Tensor, Generator, ones, randn, tensor, zeros } from "@bitnet-quantize/tensor";
import { findMismatch } from "@bitnet-quantize/tensor/testing";
import { AutogradError, Var, erf, param } from "@bitnet-quantize/autograd";
import {
  Dropout, Embedding, GELU, LayerNorm, Linear, Module, RMSNorm, ReLU, Sequential, calculateGain, computeFans, crossEntropy,
  gelu, kaimingUniform, mse, normal, relu2, silu, xavierUniform,
} from "@bitnet-quantize/autograd/nn";
import { gradcheck } from "@bitnet-quantize/autograd/testing";

const close = (a: Tensor | number[] | number, b: number[] | number, tol = 1e-5): void => {
  expect(findMismatch(typeof a === "number" || Array.isArray(a) ? a : Array.from(a.dataSync()), b, { rtol: tol, atol: tol })).toBeUndefined();
};
const data = (t: Tensor): number[] => Array.from(t.dataSync());

describe("Linear", () => {
  it("computes x·Wᵀ + b for any leading dimensions, as a naive loop does", () => {
    const fc = new Linear(5, 3, { seed: 1 });
    const x = randn([2, 4, 5], { seed: 2 });
    const y = fc.forward(x);
    expect(y.shape).toEqual([2, 4, 3]);
    const [xs, w, b] = [data(x), data(fc.weight.value), data((fc.bias as Var).value)];
    const expected: number[] = [];
    for (let r = 0; r < 8; r++) {
      for (let o = 0; o < 3; o++) {
        let acc = b[o];
        for (let i = 0; i < 5; i++) acc += xs[r * 5 + i] * w[o * 5 + i];
        expected.push(acc);
      }
    }
    close(y.value, expected);
  });

  it("initialises like PyTorch: weight [out, in] and bias within ±1/√in, reproducible by seed", () => {
    const fc = new Linear(100, 50, { seed: 7 });
    expect(fc.weight.shape).toEqual([50, 100]);
    const bound = 1 / Math.sqrt(100);
    expect(fc.weight.value.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(fc.weight.value.abs().max().item()).toBeGreaterThan(0.9 * bound);
    expect((fc.bias as Var).value.abs().max().item()).toBeLessThanOrEqual(bound);
    // U(-b, b) has variance b²/3
    close(fc.weight.value.var().item(), bound * bound / 3, 0.1);
    expect(new Linear(100, 50, { seed: 7 }).weight.toArray()).toEqual(fc.weight.toArray());
    expect(new Linear(100, 50, { seed: 8 }).weight.toArray()).not.toEqual(fc.weight.toArray());
    expect(new Linear(3, 2, { bias: false }).bias).toBeNull();
  });

  it("passes gradcheck in float64", () => {
    const fc = new Linear(3, 2, { seed: 3, dtype: "float64" });
    expect(gradcheck((x, w, b) => { fc.weight = w; fc.bias = b; return fc.forward(x); },
      [randn([2, 3], { seed: 4, dtype: "float64" }), fc.weight.value, (fc.bias as Var).value]).ok).toBe(true);
  });
});

describe("Embedding", () => {
  it("looks up rows and accumulates gradients of repeated ids", () => {
    const emb = new Embedding(4, 2, { seed: 0 });
    const ids = tensor([[3, 1, 3]], undefined, "int32");
    const y = emb.forward(ids);
    expect(y.shape).toEqual([1, 3, 2]);
    const w = emb.weight.toArray() as number[][];
    expect(y.toArray()).toEqual([[w[3], w[1], w[3]]]);
    y.sum().backward();
    expect(emb.weight.grad?.toArray()).toEqual([[0, 0], [1, 1], [0, 0], [2, 2]]);
  });
});

describe("normalisation", () => {
  const x = tensor([[1, 2, 3, 4], [-1, 0.5, 2, 0]], undefined, "float64");

  it("RMSNorm: x / √(mean(x²) + eps) · weight", () => {
    const norm = new RMSNorm(4, { eps: 1e-6, dtype: "float64" });
    norm.weight = param(tensor([1, 2, 0.5, -1], undefined, "float64"));
    const rows = x.toArray() as number[][];
    const expected = rows.flatMap((r) => {
      const rms = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / 4 + 1e-6);
      return r.map((v, i) => (v / rms) * ([1, 2, 0.5, -1][i]));
    });
    close(norm.forward(new Var(x)).value, expected, 1e-12);
    expect(gradcheck((v, w) => { norm.weight = w; return norm.forward(v); }, [x, tensor([1, 2, 0.5, -1], undefined, "float64")]).ok).toBe(true);
  });

  it("RMSNorm's default eps is the dtype's epsilon, as PyTorch", () => {
    const y = new RMSNorm(2).forward(new Var(zeros([1, 2]).add(1e-4)));
    close(y.value, [1e-4 / Math.sqrt(1e-8 + 2 ** -23), 1e-4 / Math.sqrt(1e-8 + 2 ** -23)], 1e-4);
  });

  it("LayerNorm: (x - mean) / √(var + eps) · weight + bias, population variance", () => {
    const norm = new LayerNorm(4, { dtype: "float64" });
    norm.weight = param(tensor([1, 2, 0.5, -1], undefined, "float64"));
    norm.bias = param(tensor([0, 1, 0, -2], undefined, "float64"));
    const rows = x.toArray() as number[][];
    const expected = rows.flatMap((r) => {
      const mu = r.reduce((s, v) => s + v, 0) / 4;
      const v2 = r.reduce((s, v) => s + (v - mu) ** 2, 0) / 4;
      return r.map((v, i) => ((v - mu) / Math.sqrt(v2 + 1e-5)) * ([1, 2, 0.5, -1][i]) + ([0, 1, 0, -2][i]));
    });
    close(norm.forward(new Var(x)).value, expected, 1e-12);
    const report = gradcheck((v, w, b) => { norm.weight = w; norm.bias = b; return norm.forward(v); },
      [x, tensor([1, 2, 0.5, -1], undefined, "float64"), tensor([0, 1, 0, -2], undefined, "float64")]);
    expect(report.ok).toBe(true);
    expect(() => norm.forward(new Var(zeros([2, 3], "float64")))).toThrow(/does not end with the normalized shape \[4\]/);
  });
});

describe("Dropout", () => {
  it("zeroes about p of the elements and scales the rest by 1/(1-p); identity in eval", () => {
    const drop = new Dropout(0.25, { seed: 5 });
    const y = data(drop.forward(new Var(ones([4000]))).value);
    const zeros = y.filter((v) => v === 0).length;
    expect(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(zeros / 4000).toBeGreaterThan(0.22);
    expect(zeros / 4000).toBeLessThan(0.28);
    const again = data(new Dropout(0.25, { seed: 5 }).forward(new Var(ones([4000]))).value);
    expect(again).toEqual(y);
    expect(drop.eval().forward(new Var(ones([3]))).toArray()).toEqual([1, 1, 1]);
  });

  it("sends gradients only through kept elements", () => {
    const x = param(ones([100]));
    const y = new Dropout(0.5, { generator: new Generator(1) }).forward(x);
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual(y.toArray());
  });
});

describe("activations", () => {
  it("erf matches reference values", () => {
    close(erf(new Var(tensor([0, 0.5, 1, 2, -1, 3], undefined, "float64"))).value,
      [0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.8427007929497149, 0.9999779095030014], 3e-7);
  });

  it("GELU exact and tanh-approximate match PyTorch's values", () => {
    const x = new Var(tensor([-2, -0.5, 0, 1, 3], undefined, "float64"));
    close(gelu(x).value, [-0.04550026389635842, -0.15426876902949485, 0, 0.8413447460685429, 2.995950094005841], 1e-6);
    close(new GELU("tanh").forward(x).value, [-0.04540230591222, -0.15428599017, 0, 0.8411919906082768, 2.9963625833], 1e-6);
  });

  it("GELU, SiLU and ReLU² pass gradcheck", () => {
    const x = tensor([-2, -0.5, 0.3, 1, 3], undefined, "float64");
    expect(gradcheck((v) => gelu(v), [x]).ok).toBe(true);
    expect(gradcheck((v) => gelu(v, "tanh"), [x]).ok).toBe(true);
    expect(gradcheck((v) => silu(v), [x]).ok).toBe(true);
    expect(gradcheck((v) => relu2(v), [x]).ok).toBe(true);
    expect(relu2(new Var(tensor([-1, 3]))).toArray()).toEqual([0, 9]);
  });
});

describe("losses", () => {
  const logits = [[1, 2, 3], [1, 0, -1]];
  const targets = tensor([2, 0], undefined, "int32");
  const byHand = (eps: number): number[] =>
    logits.map((row, i) => {
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      const logp = row.map((v) => v - lse);
      const t = [2, 0][i];
      return -(1 - eps) * logp[t] - (eps / 3) * logp.reduce((s, v) => s + v, 0);
    });

  it("crossEntropy matches a hand computation, with and without label smoothing", () => {
    const l = tensor(logits, undefined, "float64");
    const plain = byHand(0);
    close(crossEntropy(new Var(l), targets).item(), (plain[0] + plain[1]) / 2, 1e-12);
    const smooth = byHand(0.1);
    close(crossEntropy(new Var(l), targets, { labelSmoothing: 0.1, reduction: "none" }).value, smooth, 1e-12);
    close(crossEntropy(new Var(l), targets, { labelSmoothing: 0.1, reduction: "sum" }).item(), smooth[0] + smooth[1], 1e-12);
    expect(gradcheck((v) => crossEntropy(v, targets, { labelSmoothing: 0.2 }), [l]).ok).toBe(true);
  });

  it("crossEntropy is stable for large logits and takes 1-D logits", () => {
    const loss = crossEntropy(new Var(tensor([[1000, 0], [0, 1000]])), tensor([0, 0], undefined, "int32"));
    close(loss.item(), 500);
    close(crossEntropy(new Var(tensor([0, 0])), tensor(1, undefined, "int32")).item(), Math.LN2);
    expect(() => crossEntropy(new Var(tensor([[0, 0]])), tensor([0, 1], undefined, "int32"))).toThrow(/do not fit/);
  });

  it("mse is the mean squared difference", () => {
    const p = param(tensor([1, 2, 4]));
    const loss = mse(p, tensor([1, 4, 1]));
    close(loss.item(), 13 / 3);
    loss.backward();
    close(p.grad as Tensor, [0, -4 / 3, 2]);
  });
});

describe("initializers", () => {
  it("compute fans and gains as PyTorch", () => {
    expect(computeFans([256, 784])).toEqual({ fanIn: 784, fanOut: 256 });
    expect(computeFans([8, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 200 });
    expect(calculateGain("relu")).toBeCloseTo(Math.SQRT2, 15);
    expect(calculateGain("leaky_relu", Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(calculateGain("tanh")).toBeCloseTo(5 / 3, 15);
  });

  it("draw within the documented bounds and with the documented spread", () => {
    const k = kaimingUniform([64, 300], { seed: 1 }); // gain √2, bound √2·√(3/300)
    expect(k.abs().max().item()).toBeLessThanOrEqual(Math.sqrt(2) * Math.sqrt(3 / 300) + 1e-7);
    const xu = xavierUniform([30, 50], { seed: 1 });
    expect(xu.abs().max().item()).toBeLessThanOrEqual(Math.sqrt(6 / 80) + 1e-7);
    const n = normal([20000], { mean: 1, std: 0.5, seed: 3 });
    close(n.mean().item(), 1, 0.02);
    close(n.var().item(), 0.25, 0.03);
  });
});

class Block extends Module {
  fc = new Linear(4, 4, { seed: 1 });
  act = new ReLU();
  forward(x: Var): Var {
    return this.act.forward(this.fc.forward(x));
  }
}

class Net extends Module {
  readonly width = 4; // plain fields are ignored
  blocks = [new Block(), new Block()];
  head = new Sequential(new Linear(4, 3, { seed: 2 }), new ReLU(), new Linear(3, 2, { seed: 3 }));
  scale = param(ones([2]));
  forward(x: Var): Var {
    let h = x;
    for (const b of this.blocks) h = b.forward(h);
    return this.head.forward(h).mul(this.scale);
  }
}

describe("Module", () => {
  it("names parameters and modules by dotted path in declaration order (own parameters first, as PyTorch)", () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      "scale", "blocks.0.fc.weight", "blocks.0.fc.bias", "blocks.1.fc.weight", "blocks.1.fc.bias",
      "head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias",
    ]);
    expect(net.namedModules().map(([n]) => n)).toEqual(["", "blocks.0", "blocks.0.fc", "blocks.0.act", "blocks.1", "blocks.1.fc", "blocks.1.act", "head", "head.0", "head.1", "head.2"]);
    expect(net.parameters()).toHaveLength(9);
    expect(net.getParameter("head.2.bias").shape).toEqual([2]);
  });

  it("gets and replaces children by dotted name, and forward uses the replacement", () => {
    const net = new Net();
    const x = new Var(randn([5, 4], { seed: 9 }));
    const before = net.forward(x).toArray();
    expect(net.getSubmodule("blocks.1.fc")).toBe(net.blocks[1]?.fc);
    for (const [name, m] of net.namedModules()) {
      if (m instanceof Linear) net.setSubmodule(name, new Linear(m.inFeatures, m.outFeatures, { seed: 42 }));
    }
    expect(net.getSubmodule("head.2")).toBeInstanceOf(Linear);
    expect(net.forward(x).toArray()).not.toEqual(before);
    expect(() => net.getSubmodule("head.9")).toThrow(AutogradError);
    expect(() => net.setSubmodule("scale", new ReLU())).toThrow(/does not hold a module/);
  });

  it("round-trips a stateDict and rejects mismatches", () => {
    const a = new Net();
    const b = new Net();
    b.setSubmodule("head.0", new Linear(4, 3, { seed: 99 }));
    const x = new Var(randn([3, 4], { seed: 1 }));
    expect(b.forward(x).toArray()).not.toEqual(a.forward(x).toArray());
    b.loadStateDict(a.stateDict());
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    const bad = new Map(a.stateDict());
    bad.set("head.0.bias", zeros([5]));
    expect(() => b.loadStateDict(bad)).toThrow(/"head.0.bias" has shape \[5\], the parameter \[3\]/);
    bad.delete("head.0.bias");
    bad.set("extra", zeros([1]));
    expect(() => b.loadStateDict(bad)).toThrow(/missing "head.0.bias"; unexpected "extra"/);
    expect(() => b.loadStateDict(bad, { strict: false })).not.toThrow();
  });

  it("train/eval reach every module; zeroGrad clears every gradient", () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.forward(new Var(randn([2, 4], { seed: 1 }))).sum().backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });
});
