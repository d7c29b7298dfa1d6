// The getting-started page. Run by docs/test/guides.test.ts.
import assert from "node:assert/strict";
// #region first
import { tensor } from "@bitnet-quantize/tensor";
import { param } from "@bitnet-quantize/autograd";
import { BitLinear } from "@bitnet-quantize/bitnet";

const x = param(tensor([[1, -2, 3, 0.5]]));
const layer = new BitLinear(4, 2, { seed: 0 }); // ternary weights, int8 activations
const y = layer.forward(x);
y.sum().backward(); // straight-through gradients reach the latent weights and the input
assert.deepEqual(y.shape, [1, 2]);
assert.deepEqual(layer.weight.grad?.shape, [2, 4]);
assert.deepEqual(x.grad?.shape, [1, 4]);
// #endregion first
