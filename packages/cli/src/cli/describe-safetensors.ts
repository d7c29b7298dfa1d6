// The text `bitnet inspect` prints for a safetensors file: metadata (a
// checkpoint's JSON config shortened) and the tensor table. Not the reader.
import { parseSafetensors } from "@bitnet-quantize/safetensors";

/**
 * A header summary of safetensors bytes (throws SafetensorsError on an invalid file).
 *
 * @example
 * ```ts
 * describeSafetensors(bytes); // "metadata:\n  format: ...\n3 tensors, 1.2 MiB of data:\n  model.norm.weight  F32  [256]\n ..."
 * ```
 */
export function describeSafetensors(bytes: Uint8Array, maxChars = 160): string {
  const file = parseSafetensors(bytes);
  const lines: string[] = [];
  const meta = Object.entries(file.metadata ?? {});
  lines.push(meta.length === 0 ? "metadata: none" : "metadata:");
  for (const [k, v] of meta) lines.push(`  ${k}: ${v.length > maxChars ? `${v.slice(0, maxChars)}... (${v.length} characters)` : v}`);
  const dataBytes = file.tensors.reduce((n, t) => n + t.byteLength, 0);
  lines.push(`${file.tensors.length} tensors, ${(dataBytes / 1024 / 1024).toFixed(2)} MiB of data:`);
  const width = Math.min(60, Math.max(0, ...file.tensors.map((t) => t.name.length)));
  for (const t of [...file.tensors].sort((a, b) => (a.name < b.name ? -1 : 1))) lines.push(`  ${t.name.padEnd(width)}  ${t.dtype.padEnd(4)}  [${t.shape.join(", ")}]`);
  return lines.join("\n");
}
