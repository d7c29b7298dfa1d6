// Brands: two copies of a package simulated by two Brand objects for the same
// registered symbol (what two module instances of brand.ts would create), and
// the VERSION constant held equal to package.json's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Brand, BrandError, Tensor, VERSION, zeros } from "@bitnet-quantize/tensor";

/** Two classes "Widget" as two copies of a package at `a` and `b` would define them. */
function twoCopies(a: string, b: string): { A: new () => object; B: new () => object } {
  const brandA = new Brand("@bitnet-quantize/test", "Widget", a);
  const brandB = new Brand("@bitnet-quantize/test", "Widget", b);
  class A {
    static [Symbol.hasInstance](x: unknown): boolean {
      return Brand.hasInstance(this, x);
    }
  }
  class B {
    static [Symbol.hasInstance](x: unknown): boolean {
      return Brand.hasInstance(this, x);
    }
  }
  brandA.mark(A);
  brandB.mark(B);
  return { A, B };
}

describe("Brand", () => {
  it("recognises instances of a compatible second copy both ways (caret: same minor before 1.0)", () => {
    const { A, B } = twoCopies("0.2.0", "0.2.7");
    expect(new B() instanceof A).toBe(true);
    expect(new A() instanceof B).toBe(true);
    expect({} instanceof A).toBe(false);
    expect(Brand.hasInstance(A, null)).toBe(false);
    expect(Brand.hasInstance(A, 3)).toBe(false);
  });

  it("rejects an incompatible copy with a BrandError naming both versions", () => {
    const { A, B } = twoCopies("0.2.0", "0.3.1");
    expect(() => new B() instanceof A).toThrow(BrandError);
    expect(() => new B() instanceof A).toThrow(/0\.3\.1.*0\.2\.0/);
    const major = twoCopies("1.4.0", "2.0.0");
    expect(() => new major.A() instanceof major.B).toThrow(/1\.4\.0.*2\.0\.0/);
    const sameMajor = twoCopies("1.4.0", "1.9.2");
    expect(new sameMajor.A() instanceof sameMajor.B).toBe(true);
  });

  it("keeps the prototype-chain check for unmarked subclasses", () => {
    const { A } = twoCopies("0.2.0", "0.2.0");
    class Sub extends A {}
    expect(new Sub() instanceof A).toBe(true);
    expect(new A() instanceof Sub).toBe(false);
    expect(new Sub() instanceof Sub).toBe(true);
  });

  it("brands Tensor under Symbol.for(\"@bitnet-quantize/tensor/Tensor\")", () => {
    const t = zeros([2]);
    expect(Reflect.get(t, Symbol.for("@bitnet-quantize/tensor/Tensor"))).toMatchObject({ package: "@bitnet-quantize/tensor", type: "Tensor", version: VERSION });
    expect(t instanceof Tensor).toBe(true);
    expect({ shape: [2] } instanceof Tensor).toBe(false);
  });
});

describe("VERSION", () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: unknown };
    expect(VERSION).toBe(pkg.version);
  });
});
