// Optimizers against updates computed by hand in float64, gradient clipping,
// and the learning-rate schedules.
import { describe, expect, it } from "vitest";
import { tensor, tidy } from "@bitnet-quantize/tensor";
import { findMismatch } from "@bitnet-quantize/tensor/testing";
import { AutogradError, type Var, param } from "@bitnet-quantize/autograd";
import { Adam, AdamW, LRScheduler, SGD, clipGradNorm, stepDecay, warmupCosine } from "@bitnet-quantize/autograd/optim";

const P0 = [1.5, -0.75, 0.2];
const f64 = (v: number[]): Var => param(tensor(v, undefined, "float64"));

/** Runs `steps` optimizer steps on f(p) = Σ p³/3 + p (gradient p² + 1), through real backward passes. */
function run(make: (p: Var) => { step(): void; zeroGrad(): void }, steps: number): number[] {
  const p = f64(P0);
  const opt = make(p);
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    p.pow(3).div(3).add(p).sum().backward();
    opt.step();
  }
  return p.toArray() as number[];
}

const grad = (x: number): number => x * x + 1;

function expectClose(actual: number[], expected: number[]): void {
  expect(findMismatch(actual, expected, { rtol: 1e-12, atol: 1e-14 })).toBeUndefined();
}

describe("SGD", () => {
  it("plain step: p - lr·g", () => {
    const p = f64([1, -2]);
    p.grad = tensor([0.5, 0.25], undefined, "float64");
    new SGD([p], { lr: 0.1 }).step();
    expectClose(p.toArray() as number[], [0.95, -2.025]);
  });

  it("momentum, dampening and weight decay over 4 steps match the hand computation", () => {
    const [lr, mu, damp, wd] = [0.05, 0.9, 0.1, 0.01];
    const expected = P0.map((x0) => {
      let x = x0;
      let b = 0;
      for (let t = 0; t < 4; t++) {
        const g = grad(x) + wd * x;
        b = t === 0 ? g : mu * b + (1 - damp) * g;
        x -= lr * b;
      }
      return x;
    });
    expectClose(run((p) => new SGD([p], { lr, momentum: mu, dampening: damp, weightDecay: wd }), 4), expected);
  });

  it("Nesterov momentum over 4 steps matches the hand computation", () => {
    const [lr, mu] = [0.05, 0.8];
    const expected = P0.map((x0) => {
      let x = x0;
      let b = 0;
      for (let t = 0; t < 4; t++) {
        const g = grad(x);
        b = t === 0 ? g : mu * b + g;
        x -= lr * (g + mu * b);
      }
      return x;
    });
    expectClose(run((p) => new SGD([p], { lr, momentum: mu, nesterov: true }), 4), expected);
    expect(() => new SGD([], { lr: 0.1, nesterov: true })).toThrow(/Nesterov/);
  });
});

function adamByHand(lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean, steps: number): number[] {
  return P0.map((x0) => {
    let x = x0;
    let m = 0;
    let v = 0;
    for (let t = 1; t <= steps; t++) {
      let g = grad(x);
      if (decoupled) x *= 1 - lr * wd;
      else g += wd * x;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      const mHat = m / (1 - b1 ** t);
      const vHat = v / (1 - b2 ** t);
      x -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    return x;
  });
}

describe("Adam and AdamW", () => {
  it("Adam with defaults over 5 steps", () => {
    expectClose(run((p) => new Adam([p]), 5), adamByHand(1e-3, 0.9, 0.999, 1e-8, 0, false, 5));
  });

  it("Adam with L2 weight decay and other betas over 5 steps", () => {
    const opts = { lr: 0.05, betas: [0.8, 0.99] as const, eps: 1e-6, weightDecay: 0.1 };
    expectClose(run((p) => new Adam([p], opts), 5), adamByHand(0.05, 0.8, 0.99, 1e-6, 0.1, false, 5));
  });

  it("AdamW decays the weights (default 1e-2) instead of the gradient", () => {
    expectClose(run((p) => new AdamW([p], { lr: 0.05 }), 5), adamByHand(0.05, 0.9, 0.999, 1e-8, 1e-2, true, 5));
    expect(new AdamW([]).weightDecay).toBe(0.01);
    expect(new Adam([]).weightDecay).toBe(0);
  });

  it("skips parameters without a gradient and zeroGrad clears", () => {
    const a = f64([1]);
    const b = f64([2]);
    a.grad = tensor([1], undefined, "float64");
    const opt = new Adam([a, b], { lr: 0.1 });
    opt.step();
    expect(b.toArray()).toEqual([2]);
    expect(a.item()).toBeCloseTo(1 - 0.1 / (1 + 1e-8), 14); // the first step moves by lr·g/(|g| + eps)
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });
});

describe("clipGradNorm", () => {
  it("returns the global norm and scales gradients above maxNorm", () => {
    const a = f64([0, 0]);
    const b = f64([0]);
    a.grad = tensor([3, 4], undefined, "float64");
    b.grad = tensor([12], undefined, "float64");
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(13, 12);
    const k = 1 / (13 + 1e-6);
    expectClose(a.grad.toArray() as number[], [3 * k, 4 * k]);
    expectClose(b.grad.toArray() as number[], [12 * k]);
  });

  it("leaves small gradients alone and supports the max norm", () => {
    const a = f64([0, 0]);
    a.grad = tensor([0.3, -0.4], undefined, "float64");
    expect(clipGradNorm([a], 1)).toBeCloseTo(0.5, 12);
    expect(a.grad.toArray()).toEqual([0.3, -0.4]);
    expect(clipGradNorm([a], 0.2, { normType: Infinity })).toBeCloseTo(0.4, 12);
    expectClose(a.grad.toArray() as number[], [(0.3 * 0.2) / (0.4 + 1e-6), (-0.4 * 0.2) / (0.4 + 1e-6)]);
  });
});

describe("schedules", () => {
  it("warmupCosine: linear warmup to the peak, half at the middle, minLr at the end", () => {
    const lr = warmupCosine({ baseLr: 1, warmupSteps: 10, totalSteps: 110, minLr: 0.1 });
    expect(lr(0)).toBeCloseTo(0.1, 12);
    expect(lr(4)).toBeCloseTo(0.5, 12);
    expect(lr(10)).toBeCloseTo(1, 12);
    expect(lr(60)).toBeCloseTo(0.55, 12);
    expect(lr(110)).toBeCloseTo(0.1, 12);
    expect(lr(500)).toBeCloseTo(0.1, 12);
  });

  it("stepDecay multiplies by gamma every stepSize steps", () => {
    const lr = stepDecay({ baseLr: 2, stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map(lr)).toEqual([2, 2, 1, 1, 0.5, 0.25]);
  });

  it("LRScheduler sets the optimizer's lr at construction and each step", () => {
    const opt = new SGD([], { lr: 123 });
    const sched = new LRScheduler(opt, stepDecay({ baseLr: 1, stepSize: 1, gamma: 0.5 }));
    expect(opt.lr).toBe(1);
    sched.step();
    sched.step();
    expect(opt.lr).toBe(0.25);
    expect(sched.stepCount).toBe(2);
  });
});

describe("optimizer hyperparameters and memory", () => {
  it("refuses out-of-range hyperparameters with an AutogradError", () => {
    const p = f64(P0);
    for (const make of [
      () => new SGD([p], { lr: Infinity }),
      () => new SGD([p], { lr: Number.NaN }),
      () => new SGD([p], { lr: -1 }),
      () => new SGD([p], { lr: 0.1, momentum: -0.5 }),
      () => new SGD([p], { lr: 0.1, dampening: 2 }),
      () => new SGD([p], { lr: 0.1, weightDecay: Infinity }),
      () => new AdamW([p], { betas: [1.5, 0.9] }),
      () => new Adam([p], { betas: [0.9, 1] }),
      () => new Adam([p], { eps: -1 }),
      () => new Adam([p], { weightDecay: Number.NaN }),
    ]) {
      expect(make).toThrow(AutogradError);
    }
    expect(() => new SGD([p], { lr: 0, momentum: 0.9, dampening: 1 })).not.toThrow();
  });

  it("disposes the parameter values and state it replaced, and its outputs survive a tidy scope", () => {
    const p = f64(P0);
    const opt = new Adam([p], { lr: 0.1 });
    const step = (): void =>
      tidy(() => {
        opt.zeroGrad();
        p.mul(p).sum().backward();
        opt.step();
      });
    const initial = p.value;
    step();
    const first = p.value;
    expect(initial.isDisposed).toBe(false); // not the optimizer's: left to its owner
    step();
    expect(first.isDisposed).toBe(true);
    expect(p.value.isDisposed).toBe(false);
    step();
    expect(p.value.dataSync().every(Number.isFinite)).toBe(true);
  });

  it("loadStateDict: loaded state stays the caller's; the state it replaces is disposed when it was the optimizer's own", () => {
    for (const make of [(q: Var) => new Adam([q], { lr: 0.1 }), (q: Var) => new SGD([q], { lr: 0.1, momentum: 0.9 })]) {
      const p = f64(P0);
      const opt = make(p);
      const step = (): void =>
        tidy(() => {
          opt.zeroGrad();
          p.mul(p).sum().backward();
          opt.step();
        });
      step();
      const saved = opt.stateDict();
      const savedTensors = saved.params.flatMap((s) => Object.values(s?.tensors ?? {}));
      const other = make(f64(P0));
      other.params[0].grad = tensor(new Float64Array(P0.length).fill(1), [P0.length], "float64");
      other.step(); // its own state, then replaced by the load
      const replaced = other.stateDict().params.flatMap((s) => Object.values(s?.tensors ?? {}));
      other.loadStateDict(saved);
      expect(replaced.every((t) => t.isDisposed)).toBe(true);
      // loading the same state again keeps it; stepping past it leaves the loaded tensors alone
      other.loadStateDict(saved);
      other.params[0].grad = tensor(new Float64Array(P0.length).fill(1), [P0.length], "float64");
      other.step();
      other.step();
      expect(savedTensors.every((t) => !t.isDisposed)).toBe(true);
      expect(other.stateDict().params[0]).not.toBeNull();
    }
  });
});
