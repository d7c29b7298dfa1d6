// Reads a GGUF file with @huggingface/gguf and puts its header in a shape comparable to ours.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gguf } from "@huggingface/gguf";
import { GGUF_VALUE_TYPE_IDS, type GgufFile, type GgufValue } from "@bitnet-quantize/gguf";

type Plain = { value: unknown; type: number; subType?: number };

/** Our metadata in @huggingface/gguf's typedMetadata form (arrays as plain arrays). */
export function asHfMetadata(file: GgufFile): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [key, v] of file.metadata) out[key] = plain(v);
  return out;
}

function plain(v: GgufValue): Plain {
  if (v.type !== "array") return { value: v.value, type: GGUF_VALUE_TYPE_IDS[v.type] };
  const items: unknown[] = [];
  for (const x of v.value as Iterable<unknown>) items.push(x);
  return { value: items, type: GGUF_VALUE_TYPE_IDS.array, subType: GGUF_VALUE_TYPE_IDS[v.itemType] };
}

/** Our tensor table in @huggingface/gguf's tensorInfos form. */
export function asHfTensorInfos(file: GgufFile): { name: string; n_dims: number; shape: bigint[]; dtype: number; offset: bigint }[] {
  return file.tensors.map((t) => ({ name: t.name, n_dims: t.ne.length, shape: t.ne.map(BigInt), dtype: t.typeId, offset: BigInt(t.offset) }));
}

/** Writes `bytes` to a temporary file and parses it with @huggingface/gguf. */
export async function parseWithHf(bytes: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), "bitnet-gguf-"));
  const path = join(dir, "model.gguf");
  try {
    writeFileSync(path, bytes);
    const parsed = await gguf(path, { allowLocalFile: true, typedMetadata: true });
    const { version, tensor_count, kv_count, ...metadata } = parsed.typedMetadata;
    return { version: version.value, tensorCount: tensor_count.value, kvCount: kv_count.value, metadata, tensorInfos: parsed.tensorInfos, tensorDataOffset: parsed.tensorDataOffset };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
