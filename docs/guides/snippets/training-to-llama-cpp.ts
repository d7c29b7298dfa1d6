// Guide (c): from training to llama.cpp. Run by docs/test/guides.test.ts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// #region train
import { BitNetModel, trainTokenizer } from "@bitnet-quantize/bitnet";
import { crossEntropy } from "@bitnet-quantize/autograd/nn";
import { AdamW } from "@bitnet-quantize/autograd/optim";
import { tensor } from "@bitnet-quantize/tensor";

const text = "one day tom saw a cat in the park. the cat had a ball. tom was happy. ".repeat(40);
const tokenizer = trainTokenizer(text, 300); // an SPM vocabulary llama.cpp reproduces
const ids = tokenizer.encode(text, { addSpecial: false });
// dim and ffnDim multiples of 256: every projection can be stored as TQ2_0 blocks
const model = new BitNetModel({ vocabSize: tokenizer.vocabSize, dim: 256, layers: 1, heads: 4, kvHeads: 2, ffnDim: 512, contextLength: 32 }, { seed: 0 });
const opt = new AdamW(model.parameters(), { lr: 3e-3 });
const T = 32;
for (let step = 0; step < 4; step++) {
  const start = step * T;
  const x = tensor(Int32Array.from(ids.slice(start, start + T)), [1, T], "int32");
  const y = tensor(Int32Array.from(ids.slice(start + 1, start + T + 1)), [T], "int32");
  const loss = crossEntropy(model.forward(x).reshape([T, tokenizer.vocabSize]), y);
  model.zeroGrad();
  loss.backward();
  opt.step();
}
// #endregion train

// #region export
import { exportGguf } from "@bitnet-quantize/bitnet/node";

const dir = mkdtempSync(join(tmpdir(), "guide-gguf-"));
const path = join(dir, "model.gguf");
const bytes = await exportGguf(model, tokenizer, { type: "TQ2_0", path }); // atomic write (Node: the ./node entry); encodeGguf from ./gguf gives the bytes without a file
assert.equal(bytes.length, readFileSync(path).length);
// #endregion export

// #region inspect
import { formatGgufText, parseGguf } from "@bitnet-quantize/gguf";

const file = parseGguf(new Uint8Array(readFileSync(path)));
assert.deepEqual(file.metadata.get("general.architecture"), { type: "string", value: "bitnet" });
assert.equal(file.tensors.find((t) => t.name === "blk.0.attn_q.weight")?.type, "TQ2_0");
assert.match(formatGgufText(file), /blk\.0\.ffn_down\.weight/); // what `npx bitnet-gguf inspect model.gguf` prints
// #endregion inspect

// #region roundtrip
import { importGguf } from "@bitnet-quantize/bitnet/gguf";

const back = importGguf(new Uint8Array(readFileSync(path)));
const prompt = tokenizer.encode("one day tom");
assert.deepEqual(back.model.generate(prompt, { maxTokens: 6 }), model.generate(prompt, { maxTokens: 6 })); // greedy: the same ids
// #endregion roundtrip

// #region run
// llama.cpp (b4747 or newer): llama-cli -m model.gguf -p "one day tom" -n 16 --temp 0 -no-cnv
const llamaCli = process.env["LLAMA_CLI"] ?? "/opt/llama/src/build/bin/llama-cli";
if (existsSync(llamaCli)) {
  const out = execFileSync(llamaCli, ["-m", path, "-p", "one day tom", "-n", "8", "--temp", "0", "-no-cnv"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  assert.ok(out.includes("one day tom"), out);
}
// #endregion run
rmSync(dir, { recursive: true, force: true });
