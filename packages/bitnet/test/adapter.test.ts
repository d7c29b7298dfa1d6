// The adapter on a small LLaMA-shaped module tree: replacement by dotted
// name, LoRA starting equal to its frozen ternary base and training only A, B.
import { describe, expect, it } from "vitest";
import { Var, noGrad } from "@bitnet-quantize/autograd";
import { Linear, Module } from "@bitnet-quantize/autograd/nn";
import { randn } from "@bitnet-quantize/tensor";
import { findMismatch } from "@bitnet-quantize/tensor/testing";
import { BitLinear, BitNetError, ConfigError } from "@bitnet-quantize/bitnet";
import { BitNetAdapter, BitNetAdapterConfig, DEFAULT_TARGET_MODULES, LoraBitLinear } from "@bitnet-quantize/bitnet/adapter";

class Attn extends Module {
  q_proj = new Linear(8, 8, { seed: 1 });
  k_proj = new Linear(8, 8, { seed: 2 });
  v_proj = new Linear(8, 8, { seed: 3 });
  o_proj = new Linear(8, 8, { seed: 4 });
  forward(x: Var): Var {
    return this.o_proj.forward(this.q_proj.forward(x).add(this.k_proj.forward(x)).mul(this.v_proj.forward(x)));
  }
}
class Block extends Module {
  self_attn = new Attn();
  head = new Linear(8, 3, { seed: 5 });
  forward(x: Var): Var {
    return this.head.forward(this.self_attn.forward(x));
  }
}

describe("BitNetAdapter", () => {
  it("replaces the default projection names, keeps weights, and leaves others", () => {
    const model = new Block();
    const q = model.self_attn.q_proj.weight.value;
    const adapter = new BitNetAdapter(model);
    expect(DEFAULT_TARGET_MODULES).toEqual(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]);
    expect(adapter.replaced).toEqual(["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"]);
    expect(model.getSubmodule("self_attn.q_proj")).toBeInstanceOf(BitLinear);
    expect(model.head).toBeInstanceOf(Linear);
    expect(Array.from((model.getSubmodule("self_attn.q_proj") as BitLinear).weight.value.dataSync())).toEqual(Array.from(q.dataSync()));
    expect(adapter.numParameters()).toBe(4 * 64);
    expect(model.forward(new Var(randn([2, 8]))).shape).toEqual([2, 3]);
    adapter.freeze();
    expect(adapter.isFrozen()).toBe(true);
    expect(adapter.numTrainableParameters()).toBe(8 * 3 + 3); // only the head
    adapter.unfreeze();
    expect(adapter.numTrainableParameters()).toBe(4 * (64 + 8) + 27);
  });

  it("LoRA starts equal to the frozen base and trains only A and B", () => {
    const model = new Block();
    const adapter = new BitNetAdapter(model, new BitNetAdapterConfig({ targetModules: ["q_proj", "v_proj"], lora: { rank: 2, alpha: 4 } }));
    const layer = model.getSubmodule("self_attn.q_proj");
    expect(layer).toBeInstanceOf(LoraBitLinear);
    const lora = layer as LoraBitLinear;
    const x = new Var(randn([5, 8], { seed: 9 }));
    expect(findMismatch(lora.forward(x).value, lora.base.forward(x).value, { atol: 0, rtol: 0 })).toBeUndefined();
    expect(adapter.numTrainableParameters()).toBe(2 * 2 * (8 + 8) + 2 * (64 + 8) + 27); // LoRA A,B on 2 layers + k/o linears + head
    const baseBefore = Array.from(lora.base.weight.value.dataSync());
    const target = randn([5, 3], { seed: 10 });
    const loss = (): Var => model.forward(x).sub(new Var(target)).pow(2).mean();
    const before = noGrad(() => loss().value.item());
    for (let step = 0; step < 60; step++) {
      for (const p of adapter.trainableParameters()) p.zeroGrad();
      loss().backward();
      for (const p of adapter.trainableParameters()) p.value = p.value.sub((p.grad ?? p.value.mul(0)).mul(0.05));
    }
    expect(noGrad(() => loss().value.item())).toBeLessThan(before);
    expect(Array.from(lora.base.weight.value.dataSync())).toEqual(baseBefore);
    expect(Array.from(lora.loraB.value.dataSync()).some((v) => v !== 0)).toBe(true);
    expect(() => adapter.unfreeze()).toThrow(BitNetError);
  });

  it("says when nothing matches and validates LoRA options", () => {
    expect(() => new BitNetAdapter(new Block(), new BitNetAdapterConfig({ targetModules: ["qproj"] }))).toThrow(/no Linear matches targetModules \[qproj\]/);
    expect(() => new BitNetAdapterConfig({ lora: { rank: 0 } })).toThrow(ConfigError);
    expect(() => new BitNetAdapterConfig({ lora: { rank: 2, dropout: 1 } })).toThrow(/dropout/);
    expect(new BitNetAdapterConfig().withTargetModules(["head"]).matches("head")).toBe(true);
  });
});
