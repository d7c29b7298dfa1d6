// Runs inside a fresh folder where the packed tarballs were installed, as a
// user's plain ESM script: imports every entry, trains a small BitLinear
// network, exports a GGUF (in memory and to a file) and parses it back from
// each byte form, runs the installed bitnet-gguf and bitnet bins on it, and
// round-trips a training checkpoint (safetensors). Exits non-zero on the first failed check.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ENTRIES = JSON.parse(readFileSync(new URL("./entries.json", import.meta.url), "utf8"));
for (const spec of ENTRIES.all) {
  const m = await import(spec);
  assert.ok(Object.keys(m).length > 0, `${spec} exports nothing`);
}

const { randn, randint, VERSION } = await import("@bitnet-quantize/tensor");
const { Var, noGrad } = await import("@bitnet-quantize/autograd");
const { Linear, ReLU, Sequential, crossEntropy } = await import("@bitnet-quantize/autograd/nn");
const { AdamW } = await import("@bitnet-quantize/autograd/optim");
const { BitLinear, BitNetModel, trainTokenizer } = await import("@bitnet-quantize/bitnet");
const { encodeGguf, importGguf } = await import("@bitnet-quantize/bitnet/gguf");
const { exportGguf } = await import("@bitnet-quantize/bitnet/node");
const { GgufError, parseGguf } = await import("@bitnet-quantize/gguf");
const { saveCheckpoint, loadCheckpoint } = await import("@bitnet-quantize/autograd/checkpoint");
const { parseSafetensors } = await import("@bitnet-quantize/safetensors");
assert.equal(VERSION, JSON.parse(readFileSync(new URL("./node_modules/@bitnet-quantize/tensor/package.json", import.meta.url), "utf8")).version);

// Train: BitLinear -> ReLU -> Linear on a fixed batch; the loss must fall.
const model = new Sequential(new BitLinear(16, 32, { seed: 1 }), new ReLU(), new Linear(32, 4, { seed: 2 }));
assert.equal(model.parameters().length, 4, "BitLinear (weight, bias) and Linear (weight, bias)");
const x = new Var(randn([32, 16], { seed: 3 }));
const y = randint(0, 4, [32], { seed: 4 });
const opt = new AdamW(model.parameters(), { lr: 0.02 });
const losses = [];
for (let step = 0; step < 30; step++) {
  opt.zeroGrad();
  const loss = crossEntropy(model.forward(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
assert.ok(losses.at(-1) < 0.8 * losses[0], `loss did not fall: ${losses[0]} -> ${losses.at(-1)}`);
noGrad(() => model.forward(x));

// Checkpoint: model and optimizer state in one safetensors file, read back from an ArrayBuffer.
const ckpt = saveCheckpoint({ module: model, optimizer: opt, config: { steps: 30 } });
assert.ok(parseSafetensors(ckpt).tensors.length > 0);
const restored = new Sequential(new BitLinear(16, 32, { seed: 9 }), new ReLU(), new Linear(32, 4, { seed: 9 }));
const restoredOpt = new AdamW(restored.parameters(), { lr: 0.02 });
assert.deepEqual(loadCheckpoint(ckpt.slice().buffer, { module: restored, optimizer: restoredOpt }).config, { steps: 30 });
noGrad(() => assert.deepEqual(restored.forward(x).value.toArray(), model.forward(x).value.toArray()));

// GGUF: export a tiny BitNetModel, parse it back from every byte form, import it.
const text = "the cat sat on the mat. the dog sat on the log.\n".repeat(8);
const tokenizer = trainTokenizer(text, 280);
const lm = new BitNetModel({ vocabSize: tokenizer.vocabSize, dim: 256, layers: 1, heads: 2, ffnDim: 256, contextLength: 16 }, { seed: 5 });
const bytes = encodeGguf(lm, tokenizer, { type: "TQ2_0", warn: () => {} });
const dir = mkdtempSync(join(tmpdir(), "bitnet-smoke-"));
try {
  const path = join(dir, "tiny.gguf");
  const written = await exportGguf(lm, tokenizer, { type: "TQ2_0", path, warn: () => {} });
  assert.deepEqual(readFileSync(path), Buffer.from(written));
  // The installed bin (node_modules/.bin/bitnet-gguf) reads the file.
  const cli = spawnSync(fileURLToPath(new URL("./node_modules/.bin/bitnet-gguf", import.meta.url)), ["inspect", path, "--json"], { encoding: "utf8" });
  assert.equal(cli.status, 0, `bitnet-gguf inspect failed: ${cli.stderr}`);
  assert.match(cli.stdout, /"general\.architecture"/);
  // The installed bitnet bin (@bitnet-quantize/cli) reads it too.
  const bitnet = spawnSync(fileURLToPath(new URL("./node_modules/.bin/bitnet", import.meta.url)), ["inspect", path, "--json"], { encoding: "utf8" });
  assert.equal(bitnet.status, 0, `bitnet inspect failed: ${bitnet.stderr}`);
  assert.match(bitnet.stdout, /"general\.architecture"/);
  for (const input of [bytes, bytes.slice().buffer, readFileSync(path), new DataView(bytes.slice().buffer)]) {
    const file = parseGguf(input);
    assert.deepEqual(file.metadata.get("general.architecture"), { type: "string", value: "bitnet" });
  }
  assert.throws(() => parseGguf("tiny.gguf"), (e) => e instanceof GgufError && /parseGguf: expected bytes/.test(e.message));
  const ids = tokenizer.encode("the cat sat");
  const back = importGguf(readFileSync(path)).model;
  const a = back.logits(ids), b = lm.logits(ids);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(a[i] === b[i], `logit ${i}: ${a[i]} vs ${b[i]}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`smoke: ${ENTRIES.all.length} entries imported; loss ${losses[0].toFixed(3)} -> ${losses.at(-1).toFixed(3)}; GGUF ${bytes.length} bytes round-tripped`);
