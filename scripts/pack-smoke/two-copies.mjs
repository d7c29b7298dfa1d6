// Two copies of @bitnet-quantize/autograd: the app's own at the top of
// node_modules, and the one nested under @bitnet-quantize/bitnet (what npm
// does when the versions diverge). argv[2] is "compatible" (the nested copy is
// a newer patch: everything must work together) or "incompatible" (the nested
// copy is a newer minor before 1.0: a BrandError naming both versions).
import assert from "node:assert/strict";
import { randn } from "@bitnet-quantize/tensor";
import { VERSION, Var, noGrad } from "@bitnet-quantize/autograd";
import { ReLU, Sequential } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";
import { BitLinear } from "@bitnet-quantize/bitnet";

const mode = process.argv[2];
const bitLinear = new BitLinear(8, 4, { seed: 1 });
const nested = Reflect.get(bitLinear.weight, Symbol.for("@bitnet-quantize/autograd/Var"));
assert.ok(nested !== undefined && nested.version !== VERSION, `bitnet must use a second copy of autograd: top ${VERSION}, bitnet's ${nested?.version}`);

if (mode === "compatible") {
  const model = new Sequential(bitLinear, new ReLU());
  assert.equal(model.parameters().length, bitLinear.parameters().length, "Sequential sees the nested copy's parameters");
  assert.equal(model.parameters().length, 2);
  const x = new Var(randn([3, 8], { seed: 2 }));
  const out = model.forward(x);
  assert.deepEqual([...out.shape], [3, 4]);
  out.sum().backward();
  assert.ok(bitLinear.weight.grad !== null, "gradients reach the nested copy's parameters");
  new SGD(model.parameters(), { lr: 0.1 }).step();
  const z = noGrad(() => model.forward(x));
  assert.equal(z.requiresGrad, false, "noGrad of the top copy switches recording off in the nested copy too");
  console.log(`two copies (${VERSION} and ${nested.version}): ${model.parameters().length} parameters, forward, backward, step and noGrad work`);
} else if (mode === "incompatible") {
  let error;
  try {
    new Sequential(bitLinear, new ReLU()).parameters();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error && error.name === "BrandError", `expected a BrandError, got ${error}`);
  assert.ok(error.message.includes(VERSION) && error.message.includes(nested.version), `the message names both versions: ${error.message}`);
  console.log(`two incompatible copies (${VERSION} and ${nested.version}) fail clearly: ${error.message}`);
} else {
  throw new Error(`usage: two-copies.mjs compatible|incompatible, got ${mode}`);
}
