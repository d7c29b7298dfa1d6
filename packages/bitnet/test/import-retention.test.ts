// importGguf keeps nothing of its input alive: after the import, the file's
// bytes (here with an F16 embedding and a tokenizer, the parts most likely to
// be viewed rather than copied) are collected once the caller drops them, so
// the resident memory of an imported model is the model's, not the file's.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { BitNetModel, type SpmTokenizer, trainTokenizer } from "@bitnet-quantize/bitnet";
import { type ImportedGguf, encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const tok: SpmTokenizer = trainTokenizer("the cat sat on the mat. the dog sat on the log.\n".repeat(10), 280);
const model = new BitNetModel({ vocabSize: tok.vocabSize, dim: 256, layers: 1, heads: 4, kvHeads: 2, ffnDim: 256, contextLength: 32 }, { seed: 3 });

/** Imports a fresh copy of the file; only a weak reference to its buffer leaves this frame. */
function importFresh(type: "TQ2_0" | "F16", trainable: boolean): { imported: ImportedGguf; buffer: WeakRef<ArrayBufferLike> } {
  const bytes = encodeGguf(model, tok, { type, embeddingType: "F16", warn: () => {} });
  return { imported: importGguf(bytes, { trainable }), buffer: new WeakRef(bytes.buffer) };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("importGguf keeps nothing of its input alive", () => {
  for (const [type, trainable] of [["TQ2_0", false], ["F16", false], ["TQ2_0", true]] as const) {
    it(`${type}${trainable ? ", trainable" : ""}: the file's buffer is collected while the model, tokenizer and header live on`, async () => {
      const { imported, buffer } = importFresh(type, trainable);
      await settle(); // a WeakRef's target stays alive until the job that made it ends
      gc();
      expect(buffer.deref()).toBeUndefined();
      // still usable afterwards
      expect(imported.tokenizer.encode("the cat")).toEqual(tok.encode("the cat"));
      expect(imported.file.tensors.length).toBeGreaterThan(0);
      expect(imported.model.generate(imported.tokenizer.encode("the cat"), { maxTokens: 2 })).toHaveLength(2);
    });
  }
});
