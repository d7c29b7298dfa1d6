// Summaries of a parsed header for people (aligned text) and machines (JSON-safe objects).
// Formatting only; reading files and parsing arguments belong to ./cli.ts.
import type { GgufArrayValue, GgufValue } from "./metadata.js";
import type { GgufFile } from "./reader.js";

/**
 * How much of long values to show.
 *
 * @example
 * ```ts
 * formatGgufText(file, { maxArrayItems: 4 });
 * ```
 */
export interface InspectOptions {
  /** Array elements shown before "… N more" (default 8). */
  readonly maxArrayItems?: number;
  /** Characters of a string shown before it is cut (default 120; text only). */
  readonly maxStringChars?: number;
}

/**
 * A value that JSON.stringify writes as is.
 *
 * @example
 * ```ts
 * const v: JsonValue = { type: "u64", value: "18446744073709551615" };
 * ```
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The header as a JSON-safe object: long arrays cut to `maxArrayItems` elements with
 * their full `length` kept, `bigint`s and non-finite numbers as strings.
 *
 * @example
 * ```ts
 * ggufToJson(file).tensors[0]; // { name: "token_embd.weight", shape: [260, 256], ne: [256, 260], type: "F16", offset: 0, byteLength: 133120 }
 * ```
 */
export function ggufToJson(file: GgufFile, options: InspectOptions = {}): { [key: string]: JsonValue } {
  const max = options.maxArrayItems ?? 8;
  // fromEntries defines own properties, so a key such as "__proto__" from the file stays a key.
  const metadata: { [key: string]: JsonValue } = Object.fromEntries([...file.metadata].map(([key, value]) => [key, valueToJson(value, max)]));
  return {
    version: file.version,
    littleEndian: file.littleEndian,
    alignment: file.alignment,
    dataOffset: file.dataOffset,
    fileSize: file.fileSize,
    metadata,
    tensors: file.tensors.map((t) => ({
      name: t.name,
      shape: [...t.shape],
      ne: [...t.ne],
      type: t.type,
      offset: t.offset,
      byteLength: t.byteLength,
    })),
  };
}

function valueToJson(v: GgufValue, max: number): { [key: string]: JsonValue } {
  if (v.type !== "array") return { type: v.type, value: scalarToJson(v.value) };
  const items = arrayItems(v).slice(0, max);
  const out: { [key: string]: JsonValue } = {
    type: "array",
    itemType: v.itemType,
    length: v.value.length,
    values: items.map((x) => (isArrayValue(x) ? valueToJson(x, max) : scalarToJson(x))),
  };
  if (v.value.length > max) out["truncated"] = true;
  return out;
}

function scalarToJson(x: number | bigint | boolean | string): JsonValue {
  if (typeof x === "bigint") return x.toString();
  if (typeof x === "number" && !Number.isFinite(x)) return String(x);
  return x;
}

type ArrayItem = number | bigint | boolean | string | GgufArrayValue;

function arrayItems(v: GgufArrayValue): ArrayItem[] {
  const out: ArrayItem[] = [];
  for (const x of v.value as Iterable<ArrayItem>) out.push(x);
  return out;
}

function isArrayValue(x: ArrayItem): x is GgufArrayValue {
  return typeof x === "object";
}

/**
 * The header as text: a summary line, every metadata entry with its type (long arrays
 * and strings abbreviated), and a tensor table with name, shape (outermost first), type
 * and size.
 *
 * @example
 * ```ts
 * console.log(formatGgufText(file));
 * // GGUF v3, little-endian, 1.2 MiB, alignment 32, data at byte 8192
 * // metadata (3 keys):
 * //   general.architecture  string  "bitnet"
 * //   ...
 * // tensors (1):
 * //   name                shape   type  size
 * //   output_norm.weight  [256]   F32   1.0 KiB
 * ```
 */
export function formatGgufText(file: GgufFile, options: InspectOptions = {}): string {
  const maxItems = options.maxArrayItems ?? 8;
  const maxChars = options.maxStringChars ?? 120;
  const lines: string[] = [];
  lines.push(
    `GGUF v${file.version}, ${file.littleEndian ? "little" : "big"}-endian, ${formatBytes(file.fileSize)}, alignment ${file.alignment}, data at byte ${file.dataOffset}`,
  );
  lines.push(`metadata (${file.metadata.size} keys):`);
  const rows: string[][] = [];
  for (const [key, value] of file.metadata) {
    const type = value.type === "array" ? `${value.itemType}[${value.value.length}]` : value.type;
    rows.push([key, type, formatValue(value, maxItems, maxChars)]);
  }
  lines.push(...table(rows));
  lines.push(`tensors (${file.tensors.length}, shape outermost first):`);
  const tensorRows = [["name", "shape", "type", "size"]];
  for (const t of file.tensors) tensorRows.push([t.name, `[${t.shape.join(", ")}]`, t.type, formatBytes(t.byteLength)]);
  if (file.tensors.length > 0) lines.push(...table(tensorRows));
  return lines.join("\n");
}

function formatValue(v: GgufValue, maxItems: number, maxChars: number): string {
  if (v.type !== "array") return formatScalar(v.value, maxChars);
  const items = arrayItems(v);
  const shown = items.slice(0, maxItems).map((x) => (isArrayValue(x) ? formatValue(x, maxItems, maxChars) : formatScalar(x, maxChars)));
  if (items.length > maxItems) shown.push(`… ${items.length - maxItems} more`);
  return `[${shown.join(", ")}]`;
}

function formatScalar(x: number | bigint | boolean | string, maxChars: number): string {
  if (typeof x !== "string") return String(x);
  const quoted = JSON.stringify(x);
  return quoted.length <= maxChars ? quoted : `${quoted.slice(0, maxChars)}… (${x.length} chars)`;
}

function table(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")}`);
}

/**
 * A byte count for people: B, KiB, MiB or GiB with one decimal.
 *
 * @example
 * ```ts
 * formatBytes(1536); // "1.5 KiB"
 * ```
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
