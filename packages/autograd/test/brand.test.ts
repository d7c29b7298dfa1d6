// Brands of autograd's classes and the shared grad mode: what lets a second
// copy of the package (npm nests one when versions diverge) work with this
// one. The real two-copies run (packed tarballs, a nested copy) is in
// scripts/pack-smoke.mjs; here, the marks, VERSION and the shared flag.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { zeros } from "@bitnet-quantize/tensor";
import { VERSION, Var, isGradEnabled, noGrad, param } from "@bitnet-quantize/autograd";
import { Linear, Module, ModuleBuffer, ReLU, Sequential, buffer } from "@bitnet-quantize/autograd/nn";

const brand = (type: string): symbol => Symbol.for(`@bitnet-quantize/autograd/${type}`);

describe("brands", () => {
  it("VERSION equals package.json's", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: unknown };
    expect(VERSION).toBe(pkg.version);
  });

  it("marks Var, Module and Linear with their registered symbols and this version", () => {
    const v = param(zeros([2]));
    expect(Reflect.get(v, brand("Var"))).toEqual({ package: "@bitnet-quantize/autograd", type: "Var", version: VERSION });
    const lin = new Linear(2, 3);
    expect(Reflect.get(lin, brand("Module"))).toMatchObject({ type: "Module", version: VERSION });
    expect(Reflect.get(lin, brand("Linear"))).toMatchObject({ type: "Linear", version: VERSION });
    expect(Reflect.get(new ReLU(), brand("Linear"))).toBeUndefined();
    expect(Reflect.get(buffer(zeros([1])), brand("ModuleBuffer"))).toEqual({ package: "@bitnet-quantize/autograd", type: "ModuleBuffer", version: VERSION });
  });

  it("instanceof keeps its meaning: Linear is a Module, ReLU is not a Linear, a plain object is neither", () => {
    const lin = new Linear(2, 3);
    expect(lin instanceof Module).toBe(true);
    expect(lin instanceof Linear).toBe(true);
    expect(new ReLU() instanceof Linear).toBe(false);
    expect(new Sequential(lin) instanceof Sequential).toBe(true);
    expect(lin instanceof Sequential).toBe(false);
    expect({} instanceof Module).toBe(false);
    expect(param(zeros([1])) instanceof Var).toBe(true);
    expect(zeros([1]) instanceof Var).toBe(false);
  });

  it("an object carrying a compatible copy's brands counts as a Module with parameters", () => {
    // What a second copy's module looks like from here: its own prototype, the same registered symbols.
    const foreignVarProto = Object.create(Var.prototype, { [brand("Var")]: { value: { package: "@bitnet-quantize/autograd", type: "Var", version: "0.2.99" } } }) as object;
    const w = param(zeros([2, 2]));
    Object.setPrototypeOf(w, foreignVarProto);
    class Foreign extends Module {
      weight = w;
      forward(x: Var): Var {
        return x;
      }
    }
    expect(new Sequential(new Foreign(), new ReLU()).parameters()).toEqual([w]);
  });

  it("a buffer carrying a compatible copy's brand is found and saved", () => {
    const b = buffer(zeros([3]));
    Object.setPrototypeOf(b, Object.create(ModuleBuffer.prototype, { [brand("ModuleBuffer")]: { value: { package: "@bitnet-quantize/autograd", type: "ModuleBuffer", version: "0.2.99" } } }) as object);
    class WithBuffer extends Module {
      seen = b;
      forward(x: Var): Var {
        return x;
      }
    }
    const m = new WithBuffer();
    expect(b instanceof ModuleBuffer).toBe(true);
    expect(m.namedBuffers()).toEqual([["seen", b]]);
    expect([...m.stateDict().keys()]).toEqual(["seen"]);
  });

  it("noGrad is one flag for every copy: a registered-symbol slot of globalThis", () => {
    const slot = (): unknown => Reflect.get(Reflect.get(globalThis, Symbol.for("@bitnet-quantize/autograd/gradMode")) as object, "enabled");
    expect(isGradEnabled()).toBe(true);
    expect(slot()).toBe(true);
    noGrad(() => {
      expect(slot()).toBe(false);
    });
    expect(slot()).toBe(true);
  });
});
