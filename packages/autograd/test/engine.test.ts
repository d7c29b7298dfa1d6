// The engine: accumulation when a value is reused, noGrad, deep chains,
// gradient shape checks, released graphs, needsGrad gating, defineOp (the
// straight-through estimator from the docs) and gradcheck catching a wrong rule.
import { describe, expect, it } from "vitest";
import { type Tensor, ones, round, tensor, zeros } from "@bitnet-quantize/tensor";
import {
  AutogradError, type OpContext, Var, add, defineOp, isGradEnabled, linear, mul, noGrad, param, topologicalOrder,
} from "@bitnet-quantize/autograd";
import { GradcheckError, gradcheck } from "@bitnet-quantize/autograd/testing";

describe("backward", () => {
  it("accumulates the gradient of a value used twice", () => {
    const x = param(tensor([1, 2, 3]));
    const y = add(mul(x, x), x).sum(); // d/dx = 2x + 1
    y.backward();
    expect(x.grad?.toArray()).toEqual([3, 5, 7]);
  });

  it("accumulates into leaves across backward calls, and zeroGrad clears", () => {
    const x = param(tensor([2]));
    x.mul(3).sum().backward();
    x.mul(4).sum().backward();
    expect(x.grad?.toArray()).toEqual([7]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it("handles a diamond: both paths reach the leaf once each", () => {
    const x = param(tensor([3]));
    const a = x.mul(2);
    const b = a.mul(a); // 4x², d/dx = 8x
    const c = a.add(b).sum(); // 2x + 4x², d/dx = 2 + 8x
    c.backward();
    expect(x.grad?.toArray()).toEqual([26]);
  });

  it("runs a 10,000-op chain without overflowing the stack", () => {
    const x = param(tensor([1]));
    let y: Var = x;
    for (let i = 0; i < 10_000; i++) y = y.add(1);
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([1]);
    expect(topologicalOrder(y)).toHaveLength(10_001);
  });

  it("seeds one-element roots with 1 and rejects other roots without a gradient", () => {
    const x = param(tensor([[1, 2]]));
    expect(() => x.mul(2).backward()).toThrow(AutogradError);
    expect(() => x.mul(2).backward()).toThrow(/shape \[1,2\]/);
    x.mul(2).backward(tensor([[1, 10]]));
    expect(x.grad?.toArray()).toEqual([[2, 20]]);
    expect(() => x.mul(2).backward(tensor([1, 1, 1]))).toThrow(/gradOutput has shape \[3\], the output has shape \[1,2\]/);
  });

  it("refuses a second backward through a released graph, allows it with retainGraph", () => {
    const x = param(tensor([1, 2]));
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/second time/);
    const x2 = param(tensor([1, 2]));
    const z = x2.mul(x2).sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(x2.grad?.toArray()).toEqual([4, 8]);
  });

  it("names the op and both shapes when a backward rule returns a wrong shape", () => {
    const bad = defineOp<[x: Tensor], void>({
      name: "badShape",
      forward: (_ctx, x) => x.mul(2),
      backward: (_ctx, g) => [g.sum()],
    });
    const x = param(tensor([1, 2]));
    expect(() => bad.apply(x).sum().backward()).toThrow(/backward of badShape: the gradient of argument 0 has shape \[\], but the argument has shape \[2\]/);
  });

  it("casts gradients back to each input's dtype", () => {
    const x = param(tensor([1, 2]));
    const y = x.cast("float64").mul(tensor([3, 4], undefined, "float64")).sum();
    expect(y.dtype).toBe("float64");
    y.backward();
    expect(x.grad?.dtype).toBe("float32");
    expect(x.grad?.toArray()).toEqual([3, 4]);
  });

  it("retainGrad keeps a non-leaf gradient; detach cuts the graph", () => {
    const x = param(tensor([1, 2]));
    const h = x.mul(3).retainGrad();
    h.mul(h.detach()).sum().backward(); // d/dh (h · const) = const = 3x
    expect(h.grad?.toArray()).toEqual([3, 6]);
    expect(x.grad?.toArray()).toEqual([9, 18]);
    expect(h.detach().requiresGrad).toBe(false);
  });
});

describe("noGrad", () => {
  it("builds no graph and restores the mode, even on throw", () => {
    const w = param(tensor([2]));
    const y = noGrad(() => w.mul(3));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(y.toArray()).toEqual([6]);
    expect(isGradEnabled()).toBe(true);
    expect(() => noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
    expect(() => y.backward()).toThrow(/does not require a gradient/);
  });

  it("records nothing for constants: a Var of constants needs no gradient", () => {
    const y = new Var(tensor([1, 2])).mul(2);
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
  });
});

describe("needsGrad gating", () => {
  it("tells backward which arguments need a gradient", () => {
    const seen: boolean[][] = [];
    const spy = defineOp<[a: Tensor, b: Tensor], void>({
      name: "spy",
      forward: (_ctx, a, b) => a.mul(b),
      backward: (ctx, g) => {
        seen.push([...ctx.needsGrad]);
        return [ctx.needsGrad[0] ? g : null, ctx.needsGrad[1] ? g : null];
      },
    });
    spy.apply(tensor([1]), param(tensor([2]))).sum().backward();
    spy.apply(param(tensor([1])), new Var(tensor([2]))).sum().backward();
    expect(seen).toEqual([[false, true], [true, false]]);
  });

  it("linear never computes the input gradient of a first layer", () => {
    const x = tensor([[1, 2]]);
    const w = param(tensor([[1, 0], [0, 1]]));
    const b = param(tensor([0, 0]));
    linear(x, w, b).sum().backward();
    expect(w.grad?.toArray()).toEqual([[1, 2], [1, 2]]);
    expect(b.grad?.toArray()).toEqual([1, 1]);
  });
});

describe("defineOp: the straight-through estimator of the docs", () => {
  const steRoundOp = defineOp({
    name: "steRound",
    forward: (_ctx: OpContext<void>, x: Tensor) => round(x),
    backward: (_ctx, g) => [g],
  });

  it("forward rounds, backward is the identity", () => {
    const x = param(tensor([0.4, 1.6, -2.5]));
    const y = steRoundOp.apply(x);
    expect(y.toArray()).toEqual([0, 2, -2]);
    y.mul(tensor([1, 2, 3])).sum().backward();
    expect(x.grad?.toArray()).toEqual([1, 2, 3]);
  });

  it("matches the x + detach(q(x) - x) form", () => {
    const x1 = param(tensor([0.4, 1.6]));
    const x2 = param(tensor([0.4, 1.6]));
    const w = tensor([3, -1]);
    steRoundOp.apply(x1).mul(w).sum().backward();
    x2.add(new Var(round(x2.value)).sub(x2).detach()).mul(w).sum().backward();
    expect(x1.grad?.toArray()).toEqual(x2.grad?.toArray());
  });
});

describe("gradcheck", () => {
  const wrongSquareOp = defineOp<[x: Tensor], Tensor>({
    name: "wrongSquare",
    forward: (ctx, x) => {
      ctx.save(x);
      return x.mul(x);
    },
    backward: (ctx, g) => [g.mul(ctx.saved)], // should be 2·x·g
  });

  it("passes a correct function and reports what it compared", () => {
    const report = gradcheck((x) => x.mul(x).sum(), [tensor([1, 2, 3], undefined, "float64")]);
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(3);
    expect(report.maxAbsError).toBeLessThan(1e-6);
  });

  it("throws a GradcheckError naming the worst element of a wrong rule", () => {
    const x = tensor([1, 5, 2], undefined, "float64");
    expect(() => gradcheck((v) => wrongSquareOp.apply(v), [x])).toThrow(GradcheckError);
    expect(() => gradcheck((v) => wrongSquareOp.apply(v), [x])).toThrow(/input 0 \[3\] at \[1\]: analytic 5, numeric 10/);
    const report = gradcheck((v) => wrongSquareOp.apply(v), [x], { raise: false });
    expect(report.ok).toBe(false);
    expect(report.failures).toBe(3);
    expect(report.worst?.coords).toEqual([1]);
  });

  it("rejects integer inputs", () => {
    expect(() => gradcheck((v) => v, [zeros([2], "int32")])).toThrow(/float inputs/);
    expect(gradcheck((v) => v.sum(), [ones([2])]).ok).toBe(true);
  });
});
