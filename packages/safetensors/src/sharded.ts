// Sharded checkpoints: the `model.safetensors.index.json` file that maps tensor names to shard files.
// Parsing and writing the index only; reading the shards is the caller's (or ./node's) job.
import { SafetensorsError } from "./errors.js";

/**
 * A parsed `model.safetensors.index.json`: `{"metadata": {"total_size": ...},
 * "weight_map": {"<tensor>": "<shard file>"}}` (huggingface_hub's format).
 *
 * @example
 * ```ts
 * // { totalSize: 123, metadata: { total_size: 123 }, weightMap: Map { "a" => "model-00001-of-00002.safetensors" },
 * //   shards: ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"] }
 * ```
 */
export interface SafetensorsIndex {
  /** `metadata.total_size` when present (the sum of the tensors' byte sizes). */
  readonly totalSize: number | undefined;
  /** The whole `metadata` object as written. */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly weightMap: ReadonlyMap<string, string>;
  /** The distinct shard files, in first-seen order. */
  readonly shards: readonly string[];
}

/**
 * Parses a sharded checkpoint's index (JSON text or the already-parsed value). Shard
 * names must be plain file names (no `/`, `\` or `..`), so a hostile index cannot point
 * outside the checkpoint directory.
 *
 * @throws SafetensorsError (InvalidIndex) naming what is wrong.
 * @example
 * ```ts
 * parseSafetensorsIndex('{"metadata":{"total_size":8},"weight_map":{"w":"model-00001-of-00001.safetensors"}}').shards;
 * // ["model-00001-of-00001.safetensors"]
 * ```
 */
export function parseSafetensorsIndex(json: unknown): SafetensorsIndex {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new SafetensorsError("InvalidIndex", `the index is not JSON (${(e as Error).message})`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SafetensorsError("InvalidIndex", "the index must be a JSON object");
  const { metadata, weight_map: weightMap } = value as Record<string, unknown>;
  const meta = metadata === undefined || metadata === null ? {} : metadata;
  if (typeof meta !== "object" || Array.isArray(meta)) throw new SafetensorsError("InvalidIndex", "metadata must be an object");
  const totalSize = (meta as Record<string, unknown>)["total_size"];
  if (totalSize !== undefined && (typeof totalSize !== "number" || !Number.isSafeInteger(totalSize) || totalSize < 0)) {
    throw new SafetensorsError("InvalidIndex", `metadata.total_size must be a non-negative integer, got ${JSON.stringify(totalSize)}`);
  }
  if (typeof weightMap !== "object" || weightMap === null || Array.isArray(weightMap)) {
    throw new SafetensorsError("InvalidIndex", "weight_map must be an object of tensor name to shard file");
  }
  const map = new Map<string, string>();
  const shards: string[] = [];
  for (const [name, file] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof file !== "string" || file === "" || /[/\\]/.test(file) || file === "." || file === "..") {
      throw new SafetensorsError("InvalidIndex", `weight_map[${JSON.stringify(name)}] must be a plain file name, got ${JSON.stringify(file)}`);
    }
    map.set(name, file);
    if (!shards.includes(file)) shards.push(file);
  }
  return Object.freeze({ totalSize: totalSize, metadata: Object.freeze({ ...(meta as Record<string, unknown>) }), weightMap: map, shards: Object.freeze(shards) });
}

/**
 * The huggingface_hub shard file name: 1-based, five digits.
 *
 * @example
 * ```ts
 * shardFileName(1, 3); // "model-00001-of-00003.safetensors"
 * ```
 */
export function shardFileName(index: number, count: number, prefix = "model"): string {
  const pad = (n: number): string => String(n).padStart(5, "0");
  return `${prefix}-${pad(index)}-of-${pad(count)}.safetensors`;
}

/**
 * The JSON text of an index for `weightMap` (tensor name → shard file) and the total
 * tensor byte size, in huggingface_hub's shape.
 *
 * @example
 * ```ts
 * formatSafetensorsIndex(new Map([["w", "model-00001-of-00001.safetensors"]]), 8);
 * // '{\n  "metadata": {\n    "total_size": 8\n  },\n  "weight_map": {\n    "w": "model-00001-of-00001.safetensors"\n  }\n}\n'
 * ```
 */
export function formatSafetensorsIndex(weightMap: ReadonlyMap<string, string>, totalSize: number): string {
  const sorted = Object.fromEntries([...weightMap.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ metadata: { total_size: totalSize }, weight_map: sorted }, null, 2)}\n`;
}
