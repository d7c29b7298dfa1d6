// bitnet.cpp GGUF files (arch bitnet-b1.58, I2_S projections, "gpt2" Llama 3 vocabulary): a file built
// like BitNet's converter writes one for a 2B-4T-layout checkpoint imports to the same logits and
// tokenization as loading the checkpoint directly.
import { describe, expect, it } from "vitest";
import { parseGguf, str, writeGguf } from "@bitnet-quantize/gguf";
import { GgufModelError, importBitnetCppGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { type ByteLevelBpeTokenizer, loadHfCheckpoint } from "@bitnet-quantize/bitnet/hf";
import { bitnetCppGguf as writeBitnetCppGguf } from "./helpers/bitnet-cpp-gguf.js";
import { bitnet2b4tCheckpoint, tinyLlama3TokenizerJson } from "./helpers/hf-checkpoints.js";

const { json, vocabSize } = tinyLlama3TokenizerJson();
const d = { vocab: vocabSize, dim: 256, layers: 1, heads: 4, kvHeads: 1, ffn: 256 };
const hf = loadHfCheckpoint({ ...bitnet2b4tCheckpoint(d, 9).files, tokenizerJson: json });
const tok = hf.tokenizer as ByteLevelBpeTokenizer;
const bitnetCppGguf = (arch: string, embdType: "F32" | "F16"): Uint8Array => writeBitnetCppGguf(hf, d, arch, embdType);

describe("importBitnetCppGguf (bitnet-b1.58 / bitnet-25, I2_S)", () => {
  for (const arch of ["bitnet-b1.58", "bitnet-25"]) {
    it(`${arch}: I2_S projections and the gpt2 vocabulary give the checkpoint's logits and token ids`, () => {
      const bytes = bitnetCppGguf(arch, "F32");
      expect(parseGguf(bytes).tensors.filter((t) => t.type === "I2_S" && t.typeId === 36).length).toBe(7);
      const back = importBitnetCppGguf(bytes);
      expect(back.model.config.hiddenActivation).toBe("relu2");
      const text = "hello the world<|eot_id|> héllo";
      expect(back.tokenizer.encode(text)).toEqual(tok.encode(text));
      const ids = tok.encode("hello the world");
      expect(Array.from(back.model.logits(ids))).toEqual(Array.from(hf.model.logits(ids)));
    });
  }
  it("reads any BytesLike (ArrayBuffer, Buffer) and refuses a string with a typed error", () => {
    const bytes = bitnetCppGguf("bitnet-b1.58", "F16");
    expect(importBitnetCppGguf(bytes.slice().buffer).file.tensors.length).toBe(importBitnetCppGguf(Buffer.from(bytes)).file.tensors.length);
    expect(() => importBitnetCppGguf("model.gguf" as unknown as Uint8Array)).toThrow(/importBitnetCppGguf: expected bytes/);
  });
  it("an F16 token_embd (as in the official file) imports", () => {
    expect(importBitnetCppGguf(bitnetCppGguf("bitnet-b1.58", "F16")).file.tensors[0]?.type).toBe("F16");
  });
  it("names the problem: another architecture; importGguf points to this importer", () => {
    const bytes = bitnetCppGguf("bitnet-b1.58", "F32");
    expect(() => importGguf(bytes)).toThrow(/importBitnetCppGguf/);
    expect(() => importBitnetCppGguf(writeGguf({ metadata: { "general.architecture": str("bitnet") } }))).toThrow(GgufModelError);
  });
});
