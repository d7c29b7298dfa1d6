// What the autograd API refuses or handles: layer sizes that are not positive
// integers, and max()/min() backward when the extreme is NaN (the gradient
// goes to the NaN elements, as PyTorch, instead of NaN everywhere).
import { describe, expect, it } from "vitest";
import { ArgumentError, tensor } from "@bitnet-quantize/tensor";
import { param } from "@bitnet-quantize/autograd";
import { Embedding, Linear } from "@bitnet-quantize/autograd/nn";

describe("autograd validation", () => {
  it("Linear and Embedding refuse sizes that are not positive integers", () => {
    for (const [i, o] of [[0, 3], [3, 0], [2.5, 3], [-1, 3], [Number.NaN, 3]] as const) expect(() => new Linear(i, o)).toThrow(ArgumentError);
    expect(() => new Embedding(0, 4)).toThrow(ArgumentError);
    expect(() => new Embedding(4, 1.5)).toThrow(ArgumentError);
    expect(new Linear(2, 3).weight.shape).toEqual([3, 2]);
  });

  it("max() backward with a NaN max sends the gradient to the NaN elements", () => {
    const x = param(tensor([1, Number.NaN, 3, Number.NaN]));
    x.max().backward();
    expect(Array.from(x.grad?.dataSync() ?? [])).toEqual([0, 0.5, 0, 0.5]);
    const y = param(tensor([[1, Number.NaN], [4, 2]]));
    y.min(1).sum().backward();
    expect(Array.from(y.grad?.dataSync() ?? [])).toEqual([0, 1, 0, 1]);
    const z = param(tensor([1, 3, 3]));
    z.max().backward();
    expect(Array.from(z.grad?.dataSync() ?? [])).toEqual([0, 0.5, 0.5]);
  });
});
