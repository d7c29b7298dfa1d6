// The resume law as a property (fast-check, fixed seed): for any layer
// sizes, step counts and optimizer settings, 2N steps straight equal N steps,
// saveCheckpoint, loadCheckpoint into fresh objects, N steps, bit for bit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Generator, randn } from "@bitnet-quantize/tensor";
import { loadCheckpoint, saveCheckpoint } from "@bitnet-quantize/autograd/checkpoint";
import { Linear } from "@bitnet-quantize/autograd/nn";
import { AdamW, type Optimizer, SGD } from "@bitnet-quantize/autograd/optim";

const SEED = 20261129;

function train(layer: Linear, opt: Optimizer, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    opt.zeroGrad();
    layer.forward(randn([3, layer.inFeatures], { seed: t })).pow(2).mean().backward();
    opt.step();
  }
}

describe("checkpoint resume law", () => {
  it("holds for AdamW and SGD with momentum over random sizes and settings", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
        (inF, outF, n, adam, lr) => {
          const make = (l: Linear): Optimizer => (adam ? new AdamW(l.parameters(), { lr, weightDecay: 0.05 }) : new SGD(l.parameters(), { lr, momentum: 0.9 }));
          const a = new Linear(inF, outF, { generator: new Generator(1) });
          const optA = make(a);
          train(a, optA, 0, 2 * n);
          const b = new Linear(inF, outF, { generator: new Generator(1) });
          const optB = make(b);
          train(b, optB, 0, n);
          const bytes = saveCheckpoint({ module: b, optimizer: optB, config: { n } });
          const c = new Linear(inF, outF, { generator: new Generator(2) });
          const optC = make(c);
          loadCheckpoint(bytes, { module: c, optimizer: optC });
          train(c, optC, n, 2 * n);
          expect([...c.stateDict().values()].map((t) => Array.from(t.dataSync()))).toEqual([...a.stateDict().values()].map((t) => Array.from(t.dataSync())));
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
  });
});
