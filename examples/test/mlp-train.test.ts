// The example's training pieces end to end on small synthetic data: the MLP
// learns (accuracy far above chance after two short epochs), evaluation runs
// without a graph, and the model can have its Linear layers swapped by name.
import { describe, expect, it } from "vitest";
import { Generator } from "@bitnet-quantize/tensor";
import { Linear } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";
import { batches, createMlp, evaluate, syntheticShapes, trainEpoch } from "@bitnet-quantize/cli";
import { parseConfig } from "../src/mlp-fashion-mnist.js";

describe("MLP training on synthetic shapes", () => {
  it("learns: test accuracy well above chance after two epochs", () => {
    const { train, test } = syntheticShapes({ seed: 1, trainSize: 1500, testSize: 300 });
    const model = createMlp({ inputs: 784, hidden: 64, classes: 10, seed: 0 });
    const before = evaluate(model, test);
    const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const losses: number[] = [];
    for (let e = 0; e < 2; e++) losses.push(trainEpoch(model, opt, train, { batchSize: 32, generator: new Generator(e) }));
    const after = evaluate(model, test);
    expect(before.accuracy).toBeLessThan(0.3);
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(after.accuracy).toBeGreaterThan(0.6);
    expect(after.loss).toBeLessThan(before.loss);
  });

  it("batches cover every example once, shuffled, with a smaller last batch", () => {
    const { train } = syntheticShapes({ seed: 2, trainSize: 70, testSize: 10 });
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const b of batches(train, 32, new Generator(0))) {
      sizes.push(b.size);
      seen.push(...Array.from(b.y.dataSync()));
    }
    expect(sizes).toEqual([32, 32, 6]);
    expect(seen.sort()).toEqual(Array.from(train.y).sort());
  });

  it("names its linear layers 0 and 2 so that they can be swapped", () => {
    const model = createMlp({ inputs: 4, hidden: 3, classes: 2, seed: 0 });
    expect(model.getSubmodule("0")).toBeInstanceOf(Linear);
    model.setSubmodule("2", new Linear(3, 2, { seed: 9 }));
    expect(model.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
  });

  it("parses the command line", () => {
    expect(parseConfig(["--dataset", "synthetic", "--epochs", "2", "--batch-size", "32", "--lr", "0.1"])).toMatchObject({
      dataset: "synthetic", epochs: 2, batchSize: 32, lr: 0.1, hidden: 256, seed: 0,
    });
    expect(() => parseConfig(["--dataset", "cifar"])).toThrow(/--dataset/);
    expect(() => parseConfig(["--epochs", "x"])).toThrow(/--epochs/);
  });
});
