// Guide (a): autograd from zero. Run by docs/test/guides.test.ts.
import assert from "node:assert/strict";
// #region tensors
import { matmul, randn, tensor } from "@bitnet-quantize/tensor";

const a = tensor([
  [1, 2],
  [3, 4],
]);
assert.deepEqual(matmul(a, a).toArray(), [
  [7, 10],
  [15, 22],
]);
assert.deepEqual(a.sum(1).toArray(), [3, 7]); // reduce along axis 1
assert.deepEqual(a.transpose().shape, [2, 2]); // a view: no copy
const noise = randn([2, 3], { seed: 0 }); // seeded, so reproducible
assert.deepEqual(noise.shape, [2, 3]);
// #endregion tensors

// #region var
import { Var, param } from "@bitnet-quantize/autograd";

const w = param(tensor([2, -1])); // a leaf that wants a gradient
const x = new Var(tensor([3, 5])); // a constant
const y = w.mul(x).sum(); // y = 2·3 + (-1)·5 = 1
y.backward();
assert.equal(y.item(), 1);
assert.deepEqual(w.grad?.toArray(), [3, 5]); // dy/dw = x
assert.equal(x.grad, null); // constants get no gradient
// #endregion var

// #region loop
import { relu } from "@bitnet-quantize/autograd";
import { Linear, mse } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";

// Learn y = sum(x) with a two-layer MLP.
const inputs = randn([64, 4], { seed: 1 });
const targets = inputs.sum(1, { keepDims: true });
const fc1 = new Linear(4, 16, { seed: 2 });
const fc2 = new Linear(16, 1, { seed: 3 });
const opt = new SGD([...fc1.parameters(), ...fc2.parameters()], { lr: 0.05, momentum: 0.9 });
const losses: number[] = [];
for (let step = 0; step < 100; step++) {
  opt.zeroGrad();
  const loss = mse(fc2.forward(relu(fc1.forward(new Var(inputs)))), targets);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
assert.ok((losses.at(-1) as number) < losses[0] / 10, `the loss fell from ${losses[0]} to ${losses.at(-1)}`);
// #endregion loop
