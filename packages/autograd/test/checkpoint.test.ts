// Checkpoints: optimizer state dicts, module buffers, and the safetensors
// checkpoint file. The law: 2N steps straight equal N steps, save, load into
// fresh objects, N steps, bit for bit.
import { describe, expect, it } from "vitest";
import { Generator, type Tensor, randn, tensor, zeros } from "@bitnet-quantize/tensor";
import { AutogradError, type Var } from "@bitnet-quantize/autograd";
import { CHECKPOINT_FORMAT, loadCheckpoint, readCheckpointConfig, saveCheckpoint } from "@bitnet-quantize/autograd/checkpoint";
import { Linear, Module, ModuleBuffer, buffer, crossEntropy } from "@bitnet-quantize/autograd/nn";
import { Adam, AdamW, type Optimizer, SGD } from "@bitnet-quantize/autograd/optim";
import { parseSafetensors, writeSafetensors } from "@bitnet-quantize/safetensors";

/** A two-layer MLP with a persistent step-counter buffer and a non-persistent table. */
class Net extends Module<Tensor, Var> {
  fc1: Linear;
  fc2: Linear;
  calls = buffer(zeros([1]));
  table = buffer(tensor([1, 2, 3]), { persistent: false });
  constructor(seed: number) {
    super();
    this.fc1 = new Linear(6, 8, { generator: new Generator(seed) });
    this.fc2 = new Linear(8, 3, { generator: new Generator(seed + 1) });
  }
  forward(x: Tensor): Var {
    this.calls.value = this.calls.value.add(1);
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

type MakeOpt = (m: Net) => Optimizer;

/** One step on the batch of step `t` (the batch depends only on t). */
function step(m: Net, opt: Optimizer, t: number): void {
  const x = randn([5, 6], { seed: 100 + t });
  const y = tensor(Int32Array.from([0, 1, 2, 1, 0].map((v) => (v + t) % 3)), [5], "int32");
  opt.zeroGrad();
  crossEntropy(m.forward(x), y).backward();
  opt.step();
}

const bits = (t: Tensor): number[] => Array.from(t.contiguous().dataSync());
const snapshot = (m: Net): number[][] => [...m.stateDict().values()].map(bits);

const OPTIMIZERS: [string, MakeOpt][] = [
  ["AdamW", (m) => new AdamW(m.parameters(), { lr: 0.01, weightDecay: 0.1 })],
  ["Adam", (m) => new Adam(m.parameters(), { lr: 0.02, betas: [0.8, 0.99] })],
  ["SGD momentum", (m) => new SGD(m.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true })],
];

describe("checkpoint: 2N steps straight == N steps, save, load, N steps", () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: bit-identical parameters, buffers and optimizer state`, () => {
      const N = 4;
      const a = new Net(1);
      const optA = make(a);
      for (let t = 0; t < 2 * N; t++) step(a, optA, t);

      const b = new Net(1);
      const optB = make(b);
      for (let t = 0; t < N; t++) step(b, optB, t);
      optB.lr = optB.lr * 0.5; // a schedule moved it: the checkpoint keeps the position
      const bytes = saveCheckpoint({ module: b, optimizer: optB, config: { step: N, note: "half" } });

      const c = new Net(99); // other weights: all must come from the file
      const optC = make(c);
      const { config } = loadCheckpoint(bytes, { module: c, optimizer: optC });
      expect(config).toEqual({ step: N, note: "half" });
      expect(optC.lr).toBe(optB.lr);
      optC.lr = optA.lr;
      for (let t = N; t < 2 * N; t++) step(c, optC, t);
      expect(snapshot(c)).toEqual(snapshot(a));
      expect(c.calls.value.item()).toBe(2 * N);
      const sa = optA.stateDict();
      const sc = optC.stateDict();
      expect(sc.params.map((p) => p?.counters)).toEqual(sa.params.map((p) => p?.counters));
      expect(sc.params.map((p) => (p === null ? null : Object.values(p.tensors).map(bits)))).toEqual(sa.params.map((p) => (p === null ? null : Object.values(p.tensors).map(bits))));
    });
  }
});

describe("checkpoint file", () => {
  it("is one safetensors file: model.* and optimizer.* tensors, format and config in __metadata__", () => {
    const m = new Net(0);
    const opt = new AdamW(m.parameters(), { lr: 0.01 });
    step(m, opt, 0);
    const bytes = saveCheckpoint({ module: m, optimizer: opt, config: { a: [1, 2] } });
    const file = parseSafetensors(bytes);
    expect(file.metadata?.format).toBe(CHECKPOINT_FORMAT);
    const names = file.tensors.map((t) => t.name).sort();
    expect(names).toContain("model.fc1.weight");
    expect(names).toContain("model.calls");
    expect(names).not.toContain("model.table");
    expect(names).toContain("optimizer.fc2.bias.m");
    expect(names).toContain("optimizer.fc2.bias.v");
    expect(readCheckpointConfig(bytes)).toEqual({ a: [1, 2] });
  });

  it("is read from any BytesLike: ArrayBuffer, Buffer, DataView; anything else is a typed error", () => {
    const m = new Net(0);
    const bytes = saveCheckpoint({ module: m, config: { n: 1 } });
    const copy = bytes.slice();
    expect(readCheckpointConfig(copy.buffer)).toEqual({ n: 1 });
    expect(readCheckpointConfig(Buffer.from(copy))).toEqual({ n: 1 });
    expect(loadCheckpoint(new DataView(copy.buffer), { module: new Net(1) }).config).toEqual({ n: 1 });
    expect(() => readCheckpointConfig("ckpt" as unknown as Uint8Array)).toThrow(/readCheckpointConfig: expected bytes/);
  });

  it("keeps parameters that took no step as null state", () => {
    const m = new Net(0);
    const opt = new AdamW(m.parameters(), { lr: 0.01 });
    const again = new AdamW(new Net(0).parameters(), { lr: 0.5 });
    const other = new Net(0);
    loadCheckpoint(saveCheckpoint({ module: m, optimizer: opt }), { module: other, optimizer: again });
    expect(again.stateDict().params.every((p) => p === null)).toBe(true);
    expect(again.lr).toBe(0.01);
  });

  it("refuses a mismatch with a typed error and changes nothing", () => {
    const m = new Net(0);
    const opt = new AdamW(m.parameters(), { lr: 0.01 });
    step(m, opt, 0);
    const bytes = saveCheckpoint({ module: m, optimizer: opt });
    const target = new Net(5);
    const before = snapshot(target);
    expect(() => loadCheckpoint(bytes, { module: target, optimizer: new SGD(target.parameters(), { lr: 1 }) })).toThrow(/state is of a AdamW/);
    expect(snapshot(target)).toEqual(before);
    expect(() => loadCheckpoint(bytes, { module: target, optimizer: new AdamW(target.parameters(), { lr: 1, betas: [0.5, 0.9] }) })).toThrow(/beta1 = 0.9, this optimizer 0.5/);
    expect(snapshot(target)).toEqual(before);
    expect(() => loadCheckpoint(bytes, { module: new Linear(6, 8) })).toThrow(AutogradError);
    const noOpt = saveCheckpoint({ module: m });
    expect(() => loadCheckpoint(noOpt, { module: target, optimizer: new AdamW(target.parameters()) })).toThrow(/no optimizer state/);
    const file = parseSafetensors(bytes);
    const tensors = new Map(file.tensors.map((t) => [t.name, { dtype: t.dtype, shape: t.shape, data: bytes.subarray(t.byteOffset, t.byteOffset + t.byteLength) }]));
    for (const damaged of ["{", '{"kind":"AdamW","lr":"x"}', '{"kind":"AdamW","lr":1,"hyper":{},"params":[{"name":3}]}']) {
      const broken = writeSafetensors({ tensors, metadata: { ...file.metadata, optimizer: damaged } });
      expect(() => loadCheckpoint(broken, { module: target, optimizer: new AdamW(target.parameters()) })).toThrow(AutogradError);
    }
    expect(snapshot(target)).toEqual(before);
    const foreign = writeSafetensors({ tensors: { x: { dtype: "F32", shape: [1], data: new Float32Array([1]) } } });
    expect(() => readCheckpointConfig(foreign)).toThrow(/not a checkpoint of this library/);
  });
});

describe("module buffers", () => {
  it("join stateDict and loadStateDict (persistent ones only), checked for shape", () => {
    const m = new Net(0);
    expect(m.namedBuffers().map(([n, b]) => [n, b.persistent])).toEqual([
      ["calls", true],
      ["table", false],
    ]);
    expect([...m.stateDict().keys()]).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "calls"]);
    const sd = new Map(m.stateDict());
    sd.set("calls", tensor([7]));
    const n = new Net(3);
    n.loadStateDict(sd);
    expect(n.calls.value.toArray()).toEqual([7]);
    sd.set("calls", tensor([1, 2]));
    expect(() => n.loadStateDict(sd)).toThrow(/"calls" has shape \[2\], the buffer \[1\]/);
    expect(m.parameters()).toHaveLength(4);
    expect(m.calls).toBeInstanceOf(ModuleBuffer);
  });
});
