// The reader on hand-built buffers: what it accepts, and each rejection with its offset and reason.
import { describe, expect, it } from "vitest";
import { GgufError, dequantize, ggufToJson, parseGguf, tensorData, type GgufReadOptions } from "@bitnet-quantize/gguf";
import { Bytes } from "./helpers/bytes.js";

/** Parses and returns the GgufError; fails the test if parsing succeeds or throws anything else. */
function rejection(bytes: Uint8Array, options?: GgufReadOptions): GgufError {
  try {
    parseGguf(bytes, options);
  } catch (e) {
    if (e instanceof GgufError) return e;
    throw new Error(`expected a GgufError, got ${String(e)}`);
  }
  throw new Error("expected a GgufError, but the file parsed");
}

/** A valid file: two metadata entries and one F32 tensor [2, 3] (ne [3, 2]). */
function validFile(le = true, version = 3): Uint8Array {
  const b = new Bytes(le).header(version, 1, 2);
  b.str("general.architecture").u32(8).str("bitnet");
  b.str("bitnet.block_count").u32(4).u32(2);
  b.tensor("w", [3, 2], 0, 0);
  b.pad(32);
  for (let i = 0; i < 6; i++) b.f32(i + 0.5);
  return b.pad(32).build();
}

describe("parseGguf accepts", () => {
  it("a minimal v3 file with no tensors and no metadata", () => {
    const file = parseGguf(new Bytes().header(3, 0, 0).build());
    expect(file).toMatchObject({ version: 3, littleEndian: true, alignment: 32, dataOffset: 32, headerByteLength: 24, tensors: [] });
    expect(file.metadata.size).toBe(0);
  });

  it("metadata with types kept, and the tensor table with shape reversed from ne", () => {
    const bytes = validFile();
    const file = parseGguf(bytes);
    expect([...file.metadata]).toEqual([
      ["general.architecture", { type: "string", value: "bitnet" }],
      ["bitnet.block_count", { type: "u32", value: 2 }],
    ]);
    expect(file.tensors).toEqual([{ name: "w", shape: [2, 3], ne: [3, 2], type: "F32", typeId: 0, offset: 0, byteLength: 24, elementCount: 6 }]);
    // 24 (fixed header) + 46 + 34 (two entries) + 41 (tensor info) = 145, padded to 160.
    expect([file.headerByteLength, file.dataOffset]).toEqual([145, 160]);
    expect(Array.from(dequantize(file, bytes, "w"))).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
    expect(tensorData(file, bytes, "w").byteOffset).toBe(160);
  });

  it("version 2", () => {
    expect(parseGguf(validFile(true, 2)).version).toBe(2);
  });

  it("a big-endian file (version reads 0x03000000 little-endian), values and tensor data included", () => {
    const bytes = validFile(false);
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0, 0, 0, 3]);
    const file = parseGguf(bytes);
    expect(file.littleEndian).toBe(false);
    expect(file.metadata.get("bitnet.block_count")).toEqual({ type: "u32", value: 2 });
    expect(file.tensors[0]?.shape).toEqual([2, 3]);
    expect(Array.from(dequantize(file, bytes, "w"))).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
  });

  it("every scalar type and arrays of numbers, strings and bools", () => {
    const b = new Bytes().header(3, 0, 16);
    b.str("u8").u32(0).u8(255);
    b.str("i8").u32(1).u8(0x80);
    b.str("u16").u32(2).u16(65535);
    b.str("i16").u32(3).u16(0x8000);
    b.str("u32").u32(4).u32(0xffffffff);
    b.str("i32").u32(5).i32(-7);
    b.str("f32").u32(6).f32(1.5);
    b.str("bool").u32(7).u8(1);
    b.str("string").u32(8).str("héllo");
    b.str("u64").u32(10).u64(0xffffffffffffffffn);
    b.str("i64").u32(11).i64(-2n);
    b.str("f64").u32(12).raw(0, 0, 0, 0, 0, 0, 0xf0, 0x3f);
    b.str("a_f32").u32(9).u32(6).u64(2).f32(-1).f32(0.25);
    b.str("a_str").u32(9).u32(8).u64(2).str("a").str("");
    b.str("a_bool").u32(9).u32(7).u64(3).raw(0, 1, 0);
    b.str("a_i64").u32(9).u32(11).u64(1).i64(-5n);
    const m = parseGguf(b.build()).metadata;
    expect(Object.fromEntries(m)).toEqual({
      u8: { type: "u8", value: 255 },
      i8: { type: "i8", value: -128 },
      u16: { type: "u16", value: 65535 },
      i16: { type: "i16", value: -32768 },
      u32: { type: "u32", value: 4294967295 },
      i32: { type: "i32", value: -7 },
      f32: { type: "f32", value: 1.5 },
      bool: { type: "bool", value: true },
      string: { type: "string", value: "héllo" },
      u64: { type: "u64", value: 18446744073709551615n },
      i64: { type: "i64", value: -2n },
      f64: { type: "f64", value: 1 },
      a_f32: { type: "array", itemType: "f32", value: new Float32Array([-1, 0.25]) },
      a_str: { type: "array", itemType: "string", value: ["a", ""] },
      a_bool: { type: "array", itemType: "bool", value: [false, true, false] },
      a_i64: { type: "array", itemType: "i64", value: new BigInt64Array([-5n]) },
    });
  });

  it("keys such as __proto__ as ordinary keys, in the Map and in the JSON summary", () => {
    const bytes = new Bytes().header(3, 0, 2).str("__proto__").u32(4).u32(1).str("constructor").u32(8).str("x").build();
    const file = parseGguf(bytes);
    expect([...file.metadata.keys()]).toEqual(["__proto__", "constructor"]);
    const json = ggufToJson(file);
    expect(JSON.parse(JSON.stringify(json))).toMatchObject({ metadata: { ["__proto__"]: { type: "u32", value: 1 }, constructor: { type: "string", value: "x" } } });
    expect(Object.keys(json["metadata"] as object)).toEqual(["__proto__", "constructor"]);
  });

  it("general.alignment (u32 power of two) moves the data section", () => {
    const b = new Bytes().header(3, 1, 1).str("general.alignment").u32(4).u32(64).tensor("t", [4], 0, 0);
    const bytes = b.pad(64).zeros(64).build();
    const file = parseGguf(bytes);
    expect(file.alignment).toBe(64);
    expect(file.dataOffset % 64).toBe(0);
  });

  it("arrays of arrays only when not strict, up to the depth cap", () => {
    const nested = (depth: number): Uint8Array => {
      const b = new Bytes().header(3, 0, 1).str("n");
      b.u32(9);
      for (let d = 1; d < depth; d++) b.u32(9).u64(1);
      return b.u32(4).u64(1).u32(7).build();
    };
    const file = parseGguf(nested(2), { strict: false });
    expect(file.metadata.get("n")).toEqual({ type: "array", itemType: "array", value: [{ type: "array", itemType: "u32", value: new Uint32Array([7]) }] });
    expect(rejection(nested(2)).reason).toContain("is an array of arrays, which llama.cpp rejects");
    expect(parseGguf(nested(4), { strict: false }).metadata.size).toBe(1);
    const deep = rejection(nested(5), { strict: false });
    expect(deep.reason).toContain("nests arrays 5 deep, above the cap maxArrayDepth = 4");
  });

  it("gaps between tensors, and any order, when not strict", () => {
    const b = new Bytes().header(3, 2, 0).tensor("a", [8], 0, 64).tensor("b", [8], 0, 0);
    const bytes = b.pad(32).zeros(96).build();
    expect(rejection(bytes).reason).toBe('tensor "a" has offset 64, expected 0 (llama.cpp requires each tensor right after the previous one, aligned to 32)');
    expect(parseGguf(bytes, { strict: false }).tensors.map((t) => t.offset)).toEqual([64, 0]);
  });
});

describe("parseGguf rejects, naming the offset", () => {
  it("a bad magic", () => {
    const e = rejection(new Bytes().raw(0x47, 0x47, 0x4d, 0x4c).u32(3).i64(0).i64(0).build());
    expect([e.offset, e.reason]).toEqual([0, 'magic: expected "GGUF" (47 47 55 46), got 47 47 4d 4c']);
  });

  it("versions 1, 0 and 4", () => {
    expect(rejection(new Bytes().header(1, 0, 0).build()).reason).toBe("version 1 (32-bit counts) is not supported; versions 2 and 3 are");
    expect(rejection(new Bytes().header(4, 0, 0).build()).message).toBe("GGUF error at byte 4: unsupported version 4; versions 2 and 3 are supported");
    expect(rejection(new Bytes().header(0, 0, 0).build()).offset).toBe(4);
  });

  it("every truncation of a valid file", () => {
    const bytes = validFile();
    const dataEnd = 160 + 24;
    const failures: number[] = [];
    for (let n = 0; n < dataEnd; n++) {
      try {
        parseGguf(bytes.subarray(0, n));
        failures.push(n);
      } catch (e) {
        if (!(e instanceof GgufError) || e.offset === undefined || e.offset > n) failures.push(n);
      }
    }
    expect(failures).toEqual([]);
    // Without the last tensor's padding the file is still readable (llama.cpp's mmap loader agrees).
    expect(parseGguf(bytes.subarray(0, dataEnd)).tensors.length).toBe(1);
  });

  it("negative counts and counts above the caps, before allocating", () => {
    expect(rejection(new Bytes().header(3, -1, 0).build()).reason).toBe("tensor count is negative (-1)");
    expect(rejection(new Bytes().header(3, 0, 1n << 40n).build())).toMatchObject({ offset: 16, reason: "metadata key/value count 1099511627776 exceeds the cap maxKvCount = 65536" });
    expect(rejection(new Bytes().header(3, 2000, 0).build()).reason).toBe("the header claims 0 key/value pairs and 2000 tensors, which need at least 64000 bytes, but only 0 remain");
    expect(rejection(new Bytes().header(3, 5, 0).build(), { caps: { maxTensorCount: 4 } }).reason).toBe("tensor count 5 exceeds the cap maxTensorCount = 4");
  });

  it("a string length beyond the file or the cap", () => {
    const huge = new Bytes().header(3, 0, 1).u64(0xffffffffffffffffn).zeros(8).build();
    expect(rejection(huge)).toMatchObject({ offset: 24, reason: "key of metadata entry 0 has length 18446744073709551615, above the cap maxStringBytes = 16777216" });
    const past = new Bytes().header(3, 0, 1).u64(100).raw(0x61, 0x62, 0x63, 0x64, 0x65).build();
    expect(rejection(past)).toMatchObject({ offset: 32, reason: "key of metadata entry 0: needs 100 bytes, but the file has 37 bytes (5 remain)" });
    const capped = new Bytes().header(3, 0, 1).str("abcdef").u32(4).u32(1).build();
    expect(rejection(capped, { caps: { maxStringBytes: 5 } }).reason).toContain("above the cap maxStringBytes = 5");
  });

  it("unknown value types, for keys and array elements", () => {
    const b = new Bytes().header(3, 0, 1).str("k").u32(13).build();
    expect(rejection(b)).toMatchObject({ offset: 33, reason: 'unknown value type 13 for key "k" (known: 0..12)' });
    const a = new Bytes().header(3, 0, 1).str("k").u32(9).u32(99).u64(0).build();
    expect(rejection(a)).toMatchObject({ offset: 37, reason: '"k" has unknown element type 99 (known: 0..12)' });
  });

  it("array counts beyond the remaining bytes or the cap", () => {
    const big = new Bytes().header(3, 0, 1).str("k").u32(9).u32(10).u64(1n << 23n).zeros(16).build();
    expect(rejection(big)).toMatchObject({ offset: 41, reason: '"k" claims 8388608 u64 elements (at least 67108864 bytes), but only 16 bytes remain' });
    const strings = new Bytes().header(3, 0, 1).str("k").u32(9).u32(8).u64(3).str("a").build();
    expect(rejection(strings).reason).toContain('"k" claims 3 string elements (at least 24 bytes)');
    const capped = new Bytes().header(3, 0, 1).str("k").u32(9).u32(0).u64(1n << 24n).build();
    // Exactly at the cap passes the cap check and meets the remaining-bytes check.
    expect(rejection(capped).reason).toBe('"k" claims 16777216 u8 elements (at least 16777216 bytes), but only 0 bytes remain');
    const over = new Bytes().header(3, 0, 1).str("k").u32(9).u32(0).u64((1n << 24n) + 1n).build();
    expect(rejection(over).reason).toBe('"k" has 16777217 elements, above the cap maxArrayLength = 16777216');
  });

  it("a bool byte other than 0 or 1", () => {
    expect(rejection(new Bytes().header(3, 0, 1).str("b").u32(7).u8(2).build())).toMatchObject({ offset: 37, reason: '"b" is a bool with byte value 2; only 0 and 1 are valid' });
    const arr = new Bytes().header(3, 0, 1).str("b").u32(9).u32(7).u64(3).raw(1, 0, 9).build();
    expect(rejection(arr)).toMatchObject({ offset: 51, reason: '"b"[2] is a bool with byte value 9; only 0 and 1 are valid' });
  });

  it("duplicate keys and duplicate tensor names", () => {
    const keys = new Bytes().header(3, 0, 2).str("k").u32(4).u32(1).str("k").u32(4).u32(2).build();
    expect(rejection(keys)).toMatchObject({ offset: 41, reason: 'duplicate metadata key "k"' });
    const names = new Bytes().header(3, 2, 0).tensor("t", [4], 0, 0).tensor("t", [4], 0, 32).pad(32).zeros(64).build();
    expect(rejection(names)).toMatchObject({ offset: 57, reason: 'duplicate tensor name "t"' });
  });

  it("general.alignment that is not u32 or not a power of two", () => {
    const u64 = new Bytes().header(3, 0, 1).str("general.alignment").u32(10).u64(32).build();
    expect(rejection(u64)).toMatchObject({ offset: 53, reason: "general.alignment must be u32 (llama.cpp refuses other types), got u64" });
    const odd = new Bytes().header(3, 0, 1).str("general.alignment").u32(4).u32(48).build();
    expect(rejection(odd).reason).toBe("general.alignment must be a power of two, got 48");
    const zero = new Bytes().header(3, 0, 1).str("general.alignment").u32(4).u32(0).build();
    expect(rejection(zero).reason).toBe("general.alignment must be a power of two, got 0");
  });

  it("tensor names of 64 bytes or more when strict", () => {
    const name = "x".repeat(64);
    const bytes = new Bytes().header(3, 1, 0).tensor(name, [4], 0, 0).pad(32).zeros(32).build();
    expect(rejection(bytes)).toMatchObject({ offset: 24, reason: `tensor name "${name}" is 64 bytes; llama.cpp needs fewer than 64` });
    expect(parseGguf(bytes, { strict: false }).tensors[0]?.name).toBe(name);
    const ok = new Bytes().header(3, 1, 0).tensor("é".repeat(31) + "x", [4], 0, 0).pad(32).zeros(32).build();
    expect(parseGguf(ok).tensors.length).toBe(1);
  });

  it("n_dims outside 1..4", () => {
    for (const n of [0, 5]) {
      const b = new Bytes().header(3, 1, 0).str("t").u32(n);
      for (let d = 0; d < n; d++) b.i64(1);
      const bytes = b.u32(0).u64(0).pad(32).zeros(32).build();
      expect(rejection(bytes)).toMatchObject({ offset: 33, reason: `tensor "t" has n_dims ${n}; expected 1..4` });
    }
  });

  it("dimensions that are zero, negative, or multiply past 2^53", () => {
    const zero = new Bytes().header(3, 1, 0).tensor("t", [4, 0], 0, 0).build();
    expect(rejection(zero)).toMatchObject({ offset: 45, reason: 'tensor "t" has ne[1] = 0; dimensions must be positive' });
    const neg = new Bytes().header(3, 1, 0).tensor("t", [-4], 0, 0).build();
    expect(rejection(neg).reason).toBe('tensor "t" has ne[0] = -4; dimensions must be positive');
    const big = new Bytes().header(3, 1, 0).tensor("t", [1n << 30n, 1n << 30n], 0, 0).build();
    expect(rejection(big)).toMatchObject({ offset: 45, reason: 'tensor "t" has more than 2^53 - 1 elements (ne up to [1] multiply to 1152921504606846976)' });
  });

  it("unknown and retired ggml types", () => {
    const unknown = new Bytes().header(3, 1, 0).tensor("t", [4], 99, 0).build();
    expect(rejection(unknown)).toMatchObject({ offset: 45, reason: 'tensor "t" has type 99, an unknown ggml type (known ids: 0-3, 6-30, 34-36, 39)' });
    const retired = new Bytes().header(3, 1, 0).tensor("t", [4], 37, 0).build();
    expect(rejection(retired).reason).toBe('tensor "t" has type 37, a retired ggml type (known ids: 0-3, 6-30, 34-36, 39)');
  });

  it("a row length that is not a multiple of the block size", () => {
    const bytes = new Bytes().header(3, 1, 0).tensor("t", [100, 2], 35, 0).pad(32).zeros(256).build();
    expect(rejection(bytes)).toMatchObject({ offset: 37, reason: 'tensor "t" has ne[0] = 100, not a multiple of TQ2_0\'s block size 256' });
  });

  it("tensor data past the end of the file", () => {
    const bytes = new Bytes().header(3, 1, 0).tensor("t", [256, 2], 35, 0).pad(32).zeros(131).build();
    expect(rejection(bytes)).toMatchObject({ offset: 57, reason: 'tensor "t" data [96, 228) runs past the end of the file (227 bytes)' });
  });

  it("offsets that break llama.cpp's rule when strict, or are unaligned or overlapping when not", () => {
    // Second tensor must start at alignUp(16, 32) = 32.
    const gap = new Bytes().header(3, 2, 0).tensor("a", [4], 0, 0).tensor("b", [4], 0, 16).pad(32).zeros(64).build();
    expect(rejection(gap).reason).toBe('tensor "b" has offset 16, expected 32 (llama.cpp requires each tensor right after the previous one, aligned to 32)');
    expect(rejection(gap, { strict: false }).reason).toBe('tensor "b" has offset 16, not a multiple of the alignment 32');
    const overlap = new Bytes().header(3, 2, 0).tensor("a", [16], 0, 0).tensor("b", [4], 0, 32).pad(32).zeros(96).build();
    expect(rejection(overlap, { strict: false }).reason).toBe('tensor "b" at data offset 32 overlaps tensor "a" (ends at 64)');
  });

  it("an offset beyond 2^53", () => {
    const bytes = new Bytes().header(3, 1, 0).tensor("t", [4], 0, 1n << 60n).build();
    expect(rejection(bytes)).toMatchObject({ offset: 49, reason: 'tensor "t" has offset 1152921504606846976, beyond any file' });
  });
});
