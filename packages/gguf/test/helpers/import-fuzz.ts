// Fuzzing importGguf: seed files of a tiny BitNet model (F32 and F16, two
// alignments), structure-aware mutations, and the check that each mutated file
// imports or fails with the documented error types (GgufError for malformed
// bytes, GgufModelError for everything else), never another exception.
import { GgufError, parseGguf, writeGguf } from "@bitnet-quantize/gguf";
import { BitNetModel, trainTokenizer } from "@bitnet-quantize/bitnet";
import { GgufModelError, encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";

/** Valid `bitnet` files of a tiny model: F32, F16, and F32 with 64-byte alignment. */
export function modelSeeds(): Uint8Array[] {
  const tok = trainTokenizer("the cat sat on the mat. a dog sat on a log.\n".repeat(4), 270);
  const model = new BitNetModel({ vocabSize: tok.vocabSize, dim: 16, layers: 2, heads: 2, kvHeads: 1, ffnDim: 32, contextLength: 16 }, { seed: 3 });
  const quiet = { warn: (): void => {} };
  const f32 = encodeGguf(model, tok, { type: "F32", ...quiet });
  const f16 = encodeGguf(model, tok, { type: "F16", ...quiet });
  const parsed = parseGguf(f32);
  const aligned = writeGguf({
    metadata: [...parsed.metadata],
    tensors: parsed.tensors.map((t) => ({ name: t.name, shape: [...t.shape], type: t.type, bytes: f32.slice(parsed.dataOffset + t.offset, parsed.dataOffset + t.offset + t.byteLength) })),
    alignment: 64,
  });
  return [f32, f16, aligned];
}

/** How one case ended. */
export type ImportOutcome = "imported" | "rejected-gguf" | "rejected-model";

/** Imports `bytes`; rethrows anything that is not a GgufError or GgufModelError. */
export function checkImportCase(bytes: Uint8Array): ImportOutcome {
  try {
    importGguf(bytes);
    return "imported";
  } catch (e) {
    if (e instanceof GgufModelError) return "rejected-model";
    if (e instanceof GgufError) return "rejected-gguf";
    throw e;
  }
}
