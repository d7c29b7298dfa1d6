// GGUF strings are bytes: the reader keeps them exact (a leading BOM stays,
// so "\uFEFFkey" and "key" are two keys) and rejects invalid UTF-8 with a
// GgufError instead of mapping it to U+FFFD; the writer refuses what the
// reader would refuse.
import { describe, expect, it } from "vitest";
import { GgufBuilder, GgufError, arr, parseGguf, str, u32, writeGguf } from "@bitnet-quantize/gguf";
import { Bytes } from "./helpers/bytes.js";

describe("exact strings", () => {
  it("keeps a leading BOM: a key with and without it are two keys, and round-trip", () => {
    const bytes = writeGguf({ metadata: { "\uFEFFkey": str("\uFEFFvalue"), key: str("plain") } });
    const m = parseGguf(bytes).metadata;
    expect([...m.keys()]).toEqual(["\uFEFFkey", "key"]);
    expect(m.get("\uFEFFkey")?.value).toBe("\uFEFFvalue");
    expect(m.get("key")?.value).toBe("plain");
  });

  it('"\\uFEFFgeneral.alignment" is not the alignment key', () => {
    const bytes = writeGguf({ metadata: { "\uFEFFgeneral.alignment": u32(48) }, tensors: [{ name: "t", shape: [4], type: "F32", values: new Float32Array(4) }] });
    const f = parseGguf(bytes);
    expect(f.alignment).toBe(32);
    expect(f.metadata.get("\uFEFFgeneral.alignment")?.value).toBe(48);
  });

  it("rejects invalid UTF-8 in keys, values, array elements and tensor names with a GgufError", () => {
    const badKey = new Bytes().header(3, 0, 1).u64(2).raw(0xc3, 0x28).u32(4).u32(1).build();
    expect(() => parseGguf(badKey)).toThrow(GgufError);
    expect(() => parseGguf(badKey)).toThrow(/not valid UTF-8/);
    const badValue = new Bytes().header(3, 0, 1).str("k").u32(8).u64(1).raw(0xff).build();
    expect(() => parseGguf(badValue)).toThrow(/value of .* is not valid UTF-8|not valid UTF-8/);
    const badElement = new Bytes().header(3, 0, 1).str("k").u32(9).u32(8).u64(2).u64(1).raw(0x61).u64(3).raw(0xed, 0xa0, 0x80).build(); // a UTF-8-encoded surrogate
    expect(() => parseGguf(badElement)).toThrow(/not valid UTF-8/);
    const badName = new Bytes().header(3, 1, 0).u64(1).raw(0x80).u32(1).u64(4).u32(0).u64(0).pad(32).zeros(16).build();
    expect(() => parseGguf(badName)).toThrow(/not valid UTF-8/);
  });

  it("two distinct invalid byte strings no longer collapse into one key", () => {
    const two = new Bytes().header(3, 0, 2).u64(1).raw(0xfe).u32(4).u32(1).u64(1).raw(0xff).u32(4).u32(2).build();
    expect(() => parseGguf(two)).toThrow(/not valid UTF-8/);
    expect(() => parseGguf(two)).not.toThrow(/duplicate/);
  });

  it("the writer refuses what the reader refuses: lone surrogates, strings and arrays above the readers' caps", () => {
    expect(() => writeGguf({ metadata: { k: { type: "string", value: "\uD800" } } })).toThrow(GgufError);
    expect(() => writeGguf({ metadata: { k: { type: "string", value: "x".repeat(16 * 1024 * 1024 + 1) } } })).toThrow(/maxStringBytes/);
    expect(() => writeGguf({ metadata: { k: arr("string", ["ok", "x".repeat(16 * 1024 * 1024 + 1)]) } })).toThrow(/maxStringBytes/);
    expect(() => writeGguf({ metadata: { k: { type: "array", itemType: "u8", value: new Uint8Array((1 << 24) + 1) } } })).toThrow(/maxArrayLength/);
    expect(() => new GgufBuilder().set("k", { type: "string", value: "\uDC00" })).toThrow(GgufError);
  });
});
