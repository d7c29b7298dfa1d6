// GGUF import of llama-quantize-style files: a k-quantized (or legacy-quantized) token_embd, as
// llama-quantize writes by default (Q6_K), imports and gives the logits of the model whose embedding
// is the decoded values; I2_S projections (bitnet.cpp) import like TQ2_0 ones.
import { describe, expect, it } from "vitest";
import { ggmlType, parseGguf, writeGguf, type GgmlTypeName, type GgufTensorInput } from "@bitnet-quantize/gguf";
import { dequantize } from "@bitnet-quantize/gguf/codecs";
import { BitNetModel, trainTokenizer } from "@bitnet-quantize/bitnet";
import { encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { noGrad } from "@bitnet-quantize/autograd";
import { tensor } from "@bitnet-quantize/tensor";

const tok = trainTokenizer("the cat sat on the mat. the dog sat on the log.\n".repeat(10), 280);
const V = tok.vocabSize;
const ids = tok.encode("the cat sat on the log");
const quiet = { warn: (): void => {} };

/** Random blocks of `type` for `rows` rows of 256, with every fp16 scale field set to a small finite value. */
function randomBlocks(type: GgmlTypeName, rows: number, seed: number): Uint8Array {
  const info = ggmlType(type);
  const blocks = (rows * 256) / info.blockSize;
  const out = new Uint8Array(blocks * info.typeSize);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  // Offsets of the fp16 fields (d, and m/dmin) inside one block, per ggml-common.h.
  const halves: Partial<Record<GgmlTypeName, number[]>> = {
    Q4_0: [0], Q4_1: [0, 2], Q5_0: [0], Q5_1: [0, 2], Q8_0: [0], Q2_K: [80, 82], Q3_K: [108], Q4_K: [0, 2], Q5_K: [0, 2], Q6_K: [208],
  };
  for (let b = 0; b < blocks; b++) {
    for (const at of halves[type] ?? []) {
      out[b * info.typeSize + at] = 0x00;
      out[b * info.typeSize + at + 1] = 0x1c; // 2^-8
    }
  }
  return out;
}

function rebuildWithEmbedding(bytes: Uint8Array, type: GgmlTypeName, embd: Uint8Array): Uint8Array {
  const f = parseGguf(bytes);
  const tensors: GgufTensorInput[] = f.tensors.map((t) =>
    t.name === "token_embd.weight"
      ? { name: t.name, shape: [...t.shape], type, bytes: embd }
      : { name: t.name, shape: [...t.shape], type: t.type, bytes: bytes.slice(f.dataOffset + t.offset, f.dataOffset + t.offset + t.byteLength) },
  );
  return writeGguf({ metadata: [...f.metadata], tensors });
}

describe("importGguf with a quantized token_embd (llama-quantize's default is Q6_K)", () => {
  for (const type of ["Q6_K", "Q4_K", "Q5_K", "Q3_K", "Q2_K", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"] as const) {
    it(`${type}: the logits equal the model's with the decoded embedding`, () => {
      const model = new BitNetModel({ vocabSize: V, dim: 256, layers: 1, heads: 4, kvHeads: 2, ffnDim: 256, contextLength: 32 }, { seed: 3 });
      const embd = randomBlocks(type, V, 7);
      noGrad(() => {
        model.embed_tokens.weight.value = tensor(dequantize(type, embd, V * 256), [V, 256]);
      });
      const file = rebuildWithEmbedding(encodeGguf(model, tok, { type: "TQ2_0", ...quiet }), type, embd);
      expect(parseGguf(file).tensors.find((t) => t.name === "token_embd.weight")?.type).toBe(type);
      const back = importGguf(file);
      expect(Array.from(back.model.logits(ids))).toEqual(Array.from(model.logits(ids)));
    });
  }

  it("I2_S projections (bitnet.cpp's type 36) import with the same logits as TQ2_0 ones", () => {
    const model = new BitNetModel({ vocabSize: V, dim: 256, layers: 1, heads: 4, kvHeads: 2, ffnDim: 256, contextLength: 32 }, { seed: 4 });
    const tq2 = encodeGguf(model, tok, { type: "TQ2_0", scale: "fold", ...quiet });
    const f = parseGguf(tq2);
    const tensors: GgufTensorInput[] = f.tensors.map((t) => {
      const raw = tq2.slice(f.dataOffset + t.offset, f.dataOffset + t.offset + t.byteLength);
      return t.type === "TQ2_0"
        ? { name: t.name, shape: [...t.shape], type: "I2_S", values: dequantize("TQ2_0", raw, t.elementCount) }
        : { name: t.name, shape: [...t.shape], type: t.type, bytes: raw };
    });
    const i2s = writeGguf({ metadata: [...f.metadata], tensors });
    expect(parseGguf(i2s).tensors.filter((t) => t.type === "I2_S").length).toBe(7);
    expect(Array.from(importGguf(i2s).model.logits(ids))).toEqual(Array.from(importGguf(tq2).model.logits(ids)));
  });
});
