// Guide (b): BitNet b1.58. Run by docs/test/guides.test.ts.
import assert from "node:assert/strict";
// #region quantizers
import { absMaxInt8, absMeanTernary, dequantizeTernary } from "@bitnet-quantize/bitnet";
import { tensor } from "@bitnet-quantize/tensor";

// Weights: s = mean|W|, t = clamp(round(W / s), -1, 1).
const w = tensor([
  [0.4, -0.3, 0.05, 0.25],
  [-0.1, 0.6, -0.2, -0.4],
]);
const tw = absMeanTernary(w);
assert.deepEqual(tw.codes.toArray(), [
  [1, -1, 0, 1],
  [0, 1, -1, -1],
]);
assert.ok(Math.abs(tw.scales.dataSync()[0] - 0.2875) < 1e-6); // mean |W|
assert.deepEqual(dequantizeTernary(tw).shape, [2, 4]); // s·t, what the forward uses

// Activations: per token, scale = 127 / max|x|, q = round(x · scale).
const xq = absMaxInt8(tensor([[0.5, -1, 0.25]]));
assert.deepEqual(xq.codes.toArray(), [[64, -127, 32]]); // 63.5 rounds half to even
// #endregion quantizers

// #region ste
import { param } from "@bitnet-quantize/autograd";
import { ternarySTE } from "@bitnet-quantize/bitnet";

// round() has no useful gradient; the straight-through estimator passes it through.
const latent = param(tensor([[0.6, -0.1, 0.5]]));
const q = ternarySTE(latent); // forward: s·t with s = mean|w| = 0.4
assert.deepEqual((q.value.toArray() as number[][]).flat().map((v) => Math.round(v * 10) / 10), [0.4, 0, 0.4]);
q.sum().backward();
assert.deepEqual(latent.grad?.toArray(), [[1, 1, 1]]); // the identity's gradient
// #endregion ste

// #region bitlinear
import { BitLinear, BitNetConfig } from "@bitnet-quantize/bitnet";
import { Var } from "@bitnet-quantize/autograd";
import { randn } from "@bitnet-quantize/tensor";

const layer = new BitLinear(8, 4, { seed: 1, config: BitNetConfig.builder().groupSize("row").build() });
const out = layer.forward(new Var(randn([2, 8], { seed: 2 })));
assert.deepEqual(out.shape, [2, 4]);
const codes = layer.quantizedWeight().codes.dataSync();
assert.ok(Array.from(codes).every((c) => c === -1 || c === 0 || c === 1));
// #endregion bitlinear

// #region qat
import { relu } from "@bitnet-quantize/autograd";
import { crossEntropy } from "@bitnet-quantize/autograd/nn";
import { AdamW } from "@bitnet-quantize/autograd/optim";

// Quantization-aware training: a BitLinear MLP learns which of 4 features is largest.
const x = randn([128, 4], { seed: 3 });
const labels = tensor(Int32Array.from((x.toArray() as number[][]).map((r) => r.indexOf(Math.max(...r)))), [128], "int32");
const fc1 = new BitLinear(4, 32, { seed: 4 });
const fc2 = new BitLinear(32, 4, { seed: 5 });
const opt = new AdamW([...fc1.parameters(), ...fc2.parameters()], { lr: 0.02 });
const accuracy = (): number => {
  const pred = fc2.forward(relu(fc1.forward(new Var(x)))).value.toArray() as number[][];
  const want = labels.toArray() as number[];
  return pred.filter((p, i) => p.indexOf(Math.max(...p)) === want[i]).length / pred.length;
};
const before = accuracy();
for (let step = 0; step < 150; step++) {
  opt.zeroGrad();
  const loss = crossEntropy(fc2.forward(relu(fc1.forward(new Var(x)))), labels);
  loss.backward();
  opt.step();
}
const after = accuracy();
assert.ok(after > 0.8 && after > before, `accuracy ${before} -> ${after} with ternary weights and int8 activations`);
// #endregion qat
