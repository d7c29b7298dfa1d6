// tidy and keep: a scope frees every storage created in it except what its
// result holds; views over outside storages survive; nested scopes hand their
// results to the enclosing scope; exceptions free everything; keep exempts.
import { describe, expect, it } from "vitest";
import { ArgumentError, BackendError, type Tensor, arange, keep, ones, scopeDepth, tensor, tidy } from "@bitnet-quantize/tensor";

describe("tidy", () => {
  it("frees the intermediates and keeps the result", () => {
    let mid: Tensor | undefined;
    const out = tidy(() => {
      mid = ones([3]).mul(2);
      return mid.add(1);
    });
    expect(mid?.isDisposed).toBe(true);
    expect(() => mid?.dataSync()).toThrow(BackendError);
    expect(Array.from(out.dataSync())).toEqual([3, 3, 3]);
  });

  it("leaves storages created outside alone, even through views made inside", () => {
    const x = arange(6);
    const y = tidy(() => {
      const v = x.reshape([2, 3]).transpose();
      return v.sum();
    });
    expect(x.isDisposed).toBe(false);
    expect(y.item()).toBe(15);
  });

  it("keeps tensors in arrays, plain objects and maps of the result", () => {
    const r = tidy(() => ({ a: [ones([1])], b: new Map([["k", ones([2])]]), c: { d: ones([3]) } }));
    expect(r.a[0]?.isDisposed).toBe(false);
    expect(r.b.get("k")?.isDisposed).toBe(false);
    expect(r.c.d.isDisposed).toBe(false);
  });

  it("keeps the value and grad of objects such as an autograd Var", () => {
    class Holder {
      constructor(
        readonly value: Tensor,
        readonly grad: Tensor,
      ) {}
    }
    const h = tidy(() => new Holder(ones([2]), ones([2]).mul(3)));
    expect(h.value.isDisposed).toBe(false);
    expect(h.grad.isDisposed).toBe(false);
  });

  it("gives a nested scope's result to the enclosing scope", () => {
    let inner: Tensor | undefined;
    const out = tidy(() => {
      inner = tidy(() => ones([2]).mul(5));
      expect(inner.isDisposed).toBe(false);
      expect(scopeDepth()).toBe(1);
      return inner.add(1);
    });
    expect(inner?.isDisposed).toBe(true);
    expect(Array.from(out.dataSync())).toEqual([6, 6]);
    expect(scopeDepth()).toBe(0);
  });

  it("frees everything when fn throws, and rethrows", () => {
    let mid: Tensor | undefined;
    expect(() =>
      tidy(() => {
        mid = ones([2]);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(mid?.isDisposed).toBe(true);
    expect(scopeDepth()).toBe(0);
  });

  it("refuses an async fn with an ArgumentError", () => {
    expect(() => tidy(() => Promise.resolve(1))).toThrow(ArgumentError);
    expect(scopeDepth()).toBe(0);
  });

  it("keep exempts a tensor from every scope until it is disposed", () => {
    let kept: Tensor | undefined;
    tidy(() => {
      kept = keep(ones([2]));
      ones([2]);
    });
    expect(kept?.isDisposed).toBe(false);
    kept?.dispose();
    expect(kept?.isDisposed).toBe(true);
    expect(() => keep({})).toThrow(ArgumentError);
  });

  it("dispose() of one view disposes every view of its storage", () => {
    const x = tensor([1, 2, 3, 4]);
    const v = x.reshape([2, 2]);
    v.dispose();
    expect(x.isDisposed).toBe(true);
    expect(() => x.dataSync()).toThrow(BackendError);
    x.dispose(); // idempotent
  });
});
