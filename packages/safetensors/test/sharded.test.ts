// The sharded-checkpoint index: huggingface_hub's JSON shape, shard names, and hostile paths refused.
import { describe, expect, it } from "vitest";
import { SafetensorsError, formatSafetensorsIndex, parseSafetensorsIndex, shardFileName } from "@bitnet-quantize/safetensors";

describe("safetensors index", () => {
  it("formats and parses back", () => {
    const map = new Map([
      ["b", shardFileName(2, 2)],
      ["a", shardFileName(1, 2)],
    ]);
    const index = parseSafetensorsIndex(formatSafetensorsIndex(map, 24));
    expect(index.totalSize).toBe(24);
    expect(index.shards).toEqual(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]);
    expect(index.weightMap.get("b")).toBe("model-00002-of-00002.safetensors");
  });
  it("refuses paths outside the directory and malformed maps", () => {
    expect(() => parseSafetensorsIndex({ weight_map: { a: "../x.safetensors" } })).toThrow(SafetensorsError);
    expect(() => parseSafetensorsIndex({ weight_map: { a: "/etc/passwd" } })).toThrow(/plain file name/);
    expect(() => parseSafetensorsIndex({ weight_map: [] })).toThrow(/weight_map/);
    expect(() => parseSafetensorsIndex("{")).toThrow(/not JSON/);
    expect(() => parseSafetensorsIndex({ metadata: { total_size: -1 }, weight_map: {} })).toThrow(/total_size/);
  });
});
