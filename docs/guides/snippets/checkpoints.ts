// Guide (e): loading and converting checkpoints. Run by docs/test/guides.test.ts.
import assert from "node:assert/strict";
import { BitNetModel, trainTokenizer } from "@bitnet-quantize/bitnet";

const tokenizer = trainTokenizer("the cat sat on the mat. the dog sat on the log. ".repeat(20), 280);
const original = new BitNetModel({ vocabSize: tokenizer.vocabSize, dim: 256, layers: 1, heads: 4, kvHeads: 2, ffnDim: 512, contextLength: 32 }, { seed: 3 });

// #region import
import { encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { parseGguf } from "@bitnet-quantize/gguf";

const bytes = encodeGguf(original, tokenizer, { type: "TQ2_0" }); // or the bytes of any llama.cpp `bitnet` GGUF
const { model, tokenizer: tok, file } = importGguf(bytes);
assert.equal(model.config.dim, 256);
assert.equal(tok.vocabSize, tokenizer.vocabSize);
assert.equal(file.tensors.length, parseGguf(bytes).tensors.length);
// The imported model computes what the original computes.
const ids = tok.encode("the cat sat");
const a = model.logits(ids);
const b = original.logits(ids);
assert.ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-4));
// #endregion import

// #region large
import { cpuBackend, getBackend, setBackend } from "@bitnet-quantize/tensor";

const before = getBackend();
const llamaLike = { maxTokens: 8, activations: "q8_K", kvCache: "f16", lmHeadInput: "f16" } as const;
setBackend(cpuBackend({ threads: 2 })); // the default in Node is the machine's cores, at most 4
const threaded = importGguf(bytes).model.generate(ids, llamaLike);
setBackend(cpuBackend({ threads: 1 }));
assert.deepEqual(importGguf(bytes).model.generate(ids, llamaLike), threaded); // the same tokens on one thread
setBackend(before);
// #endregion large

// #region exact
// llama.cpp b4747's CPU arithmetic bit for bit (its x86-64 build, glibc 2.36's libm): the same logits and
// greedy text as llama-cli on the same file, several times slower than the default. lmHeadInput names the
// file's token_embd type (encodeGguf writes F32 unless asked for F16).
const exact = importGguf(bytes).model.generate(ids, { ...llamaLike, lmHeadInput: "f32", arithmetic: "ggml" });
assert.equal(exact.length, 8);
assert.throws(() => importGguf(bytes).model.generate(ids, { maxTokens: 2, arithmetic: "ggml" }), /arithmetic "ggml".*needs activations "q8_K"/);
// #endregion exact

// #region convert
// Converting is importing and encoding again with another weight type:
// TQ2_0 (2 bits per weight) -> TQ1_0 (1.6 bits) or F16, the ternary codes unchanged.
const tq1 = encodeGguf(model, tok, { type: "TQ1_0" });
const f16 = encodeGguf(model, tok, { type: "F16" });
assert.ok(tq1.length < bytes.length && bytes.length < f16.length);
const again = importGguf(tq1).model;
assert.deepEqual(again.generate(ids, { maxTokens: 5 }), original.generate(ids, { maxTokens: 5 }));
// #endregion convert

// #region finetune
import { crossEntropy } from "@bitnet-quantize/autograd/nn";
import { AdamW } from "@bitnet-quantize/autograd/optim";
import { tensor } from "@bitnet-quantize/tensor";

// Imported with { trainable: true }, a model is an ordinary BitNetModel: keep
// training it (the latent weights start at s·t, the dequantized ternary values).
// The default import keeps only the packed weights (inference, 2 bits a weight).
const trainable = importGguf(bytes, { trainable: true }).model;
const opt = new AdamW(trainable.parameters(), { lr: 1e-3 });
const x = tensor(Int32Array.from(ids), [1, ids.length], "int32");
const loss = crossEntropy(trainable.forward(x).reshape([ids.length, tok.vocabSize]), tensor(Int32Array.from([...ids.slice(1), tok.eosId]), [ids.length], "int32"));
loss.backward();
opt.step();
// State dicts move weights between models of one shape.
const copy = new BitNetModel(trainable.config);
copy.loadStateDict(trainable.stateDict());
assert.deepEqual(copy.logits(ids), trainable.logits(ids));
// #endregion finetune
