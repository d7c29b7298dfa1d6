// The writer and builder: exact layout (version, offsets, padding, alignment) and every rejection.
import { describe, expect, it } from "vitest";
import {
  GgufBuilder,
  GgufError,
  arr,
  dequantize,
  f32,
  parseGguf,
  str,
  swapTensorBytes,
  tensorData,
  u32,
  u8,
  u64,
  writeGguf,
  type GgufTensorValues,
  type GgufValue,
  type GgufWriteInput,
} from "@bitnet-quantize/gguf";
import { encodeTQ2_0 } from "@bitnet-quantize/gguf/codecs";
import { Bytes } from "./helpers/bytes.js";

/** Lets a test hand the writer input its types forbid, to check the run-time validation. */
function loose<T>(value: unknown): T {
  return value as T;
}

function writeError(input: GgufWriteInput): string {
  try {
    writeGguf(input);
  } catch (e) {
    if (e instanceof GgufError) return e.reason;
    throw e;
  }
  throw new Error("expected writeGguf to throw");
}

describe("writeGguf layout", () => {
  it("writes exactly the bytes a hand-built v3 file has", () => {
    const bytes = writeGguf({
      metadata: { "general.architecture": str("bitnet"), "bitnet.block_count": u32(2) },
      tensors: [{ name: "w", shape: [2, 3], type: "F32", values: new Float32Array([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]) }],
    });
    const b = new Bytes().header(3, 1, 2);
    b.str("general.architecture").u32(8).str("bitnet");
    b.str("bitnet.block_count").u32(4).u32(2);
    b.tensor("w", [3, 2], 0, 0).pad(32);
    for (let i = 0; i < 6; i++) b.f32(i + 0.5);
    expect(Array.from(bytes)).toEqual(Array.from(b.pad(32).build()));
  });

  it("aligns every tensor, the last one too, with offsets in order and zero padding", () => {
    const t = (name: string, n: number) => ({ name, shape: [n], type: "I8" as const, bytes: new Uint8Array(n).fill(0xaa) });
    const bytes = writeGguf({ tensors: [t("a", 5), t("b", 64), t("c", 1)], alignment: 64 });
    const file = parseGguf(bytes);
    expect(file.tensors.map((x) => x.offset)).toEqual([0, 64, 128]);
    expect(file.alignment).toBe(64);
    expect(file.metadata.get("general.alignment")).toEqual({ type: "u32", value: 64 });
    expect(file.dataOffset % 64).toBe(0);
    expect(bytes.length).toBe(file.dataOffset + 192);
    expect(bytes.subarray(file.dataOffset + 5, file.dataOffset + 64).every((x) => x === 0)).toBe(true);
    expect(bytes.subarray(file.dataOffset + 129).every((x) => x === 0)).toBe(true);
    expect(bytes.subarray(file.headerByteLength, file.dataOffset).every((x) => x === 0)).toBe(true);
  });

  it("does not write general.alignment for the default 32, and keeps one given in the metadata", () => {
    expect(parseGguf(writeGguf({ alignment: 32 })).metadata.size).toBe(0);
    const file = parseGguf(writeGguf({ metadata: [["general.alignment", u32(16)]], alignment: 16 }));
    expect([file.alignment, file.metadata.size]).toEqual([16, 1]);
  });

  it("encodes values to the target type and keeps raw bytes verbatim", () => {
    const values = Float32Array.from({ length: 512 }, (_, i) => ((i % 3) - 1) * 0.5);
    const encoded = encodeTQ2_0(values);
    const bytes = writeGguf({
      tensors: [
        { name: "v", shape: [2, 256], type: "TQ2_0", values },
        { name: "b", shape: [2, 256], type: "TQ2_0", bytes: encoded },
      ],
    });
    const file = parseGguf(bytes);
    expect(tensorData(file, bytes, "v")).toEqual(encoded);
    expect(tensorData(file, bytes, "b")).toEqual(encoded);
    expect(dequantize(file, bytes, "v")).toEqual(values);
  });

  it("writes headers far larger than its first 4 KiB buffer, whichever field crosses a growth", () => {
    // Entries of every scalar type in turn, with odd-length keys, so that each type of
    // write lands on the boundary where the header buffer grows (4, 8, 16 KiB, ...).
    const makers: ((i: number) => GgufValue)[] = [
      (i) => u8(i % 256), (i) => ({ type: "i8", value: -(i % 128) || 0 }), (i) => ({ type: "u16", value: i }), (i) => ({ type: "i16", value: -i || 0 }),
      (i) => u32(i), (i) => ({ type: "i32", value: -i || 0 }), (i) => f32(i / 3), (i) => ({ type: "f64", value: i / 7 }),
      (i) => u64(BigInt(i) << 20n), (i) => ({ type: "i64", value: -BigInt(i) }), (i) => ({ type: "bool", value: i % 2 === 0 }), (i) => str("s".repeat(i % 11)),
      (i) => arr("u16", [i, i + 1, i + 2]),
    ];
    for (const le of [true, false]) {
      const entries: [string, GgufValue][] = Array.from({ length: 3000 }, (_, i) => [`k${"x".repeat(i % 5)}${i}`, makers[i % makers.length](i)]);
      const bytes = writeGguf({ metadata: entries, littleEndian: le });
      expect(bytes.length).toBeGreaterThan(64 * 1024);
      expect([...parseGguf(bytes).metadata]).toStrictEqual(entries);
    }
  });

  it("writes big-endian files on request, converting tensor data", () => {
    const values = new Float32Array([1, -2, 3.5]);
    const bytes = writeGguf({ metadata: { k: u64(5n) }, tensors: [{ name: "h", shape: [3], type: "F16", values }], littleEndian: false });
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0, 0, 0, 3]);
    const file = parseGguf(bytes);
    expect(file.littleEndian).toBe(false);
    expect(file.metadata.get("k")).toEqual({ type: "u64", value: 5n });
    expect(dequantize(file, bytes, "h")).toEqual(values);
    expect(Array.from(tensorData(file, bytes, "h").subarray(0, 2))).toEqual([0x3c, 0x00]);
    expect(writeError({ tensors: [{ name: "q", shape: [256], type: "Q4_K", bytes: new Uint8Array(144) }], littleEndian: false })).toBe(
      'tensor "q": cannot write Q4_K data to a big-endian file (its block layout is not known here)',
    );
  });
});

describe("writeGguf rejects", () => {
  const tq = (name: string) => ({ name, shape: [256], type: "TQ2_0" as const, bytes: new Uint8Array(66) });

  it("duplicate keys and tensor names", () => {
    expect(writeError({ metadata: [["k", u8(1)], ["k", u8(2)]] })).toBe('duplicate metadata key "k"');
    expect(writeError({ tensors: [tq("t"), tq("t")] })).toBe('duplicate tensor name "t"');
  });

  it("tensor names of 64 bytes or more, counted in UTF-8", () => {
    expect(writeError({ tensors: [tq("x".repeat(64))] })).toBe(`tensor "${"x".repeat(64)}": name is 64 bytes; llama.cpp needs fewer than 64`);
    expect(writeError({ tensors: [tq("é".repeat(32))] })).toContain("name is 64 bytes");
    expect(parseGguf(writeGguf({ tensors: [tq("x".repeat(63))] })).tensors[0]?.name.length).toBe(63);
  });

  it("byte lengths that do not match the shape and type", () => {
    expect(writeError({ tensors: [{ name: "t", shape: [2, 256], type: "TQ2_0", bytes: new Uint8Array(66) }] })).toBe(
      'tensor "t": 66 bytes, but shape [2,256] of TQ2_0 takes 132',
    );
    expect(writeError({ tensors: [{ name: "t", shape: [256, 100], type: "TQ1_0", bytes: new Uint8Array(0) }] })).toBe(
      "tensor \"t\": the row length (last dimension of shape, ne[0]) 100 is not a multiple of TQ1_0's block size 256",
    );
    expect(writeError({ tensors: [{ name: "t", shape: [3], type: "F32", values: new Float32Array(4) }] })).toBe('tensor "t": 4 values for shape [3] (3 elements)');
  });

  it("bad shapes, unknown types and types without a codec for values", () => {
    expect(writeError({ tensors: [{ name: "t", shape: [], type: "F32", bytes: new Uint8Array(0) }] })).toBe('tensor "t": shape must have 1 to 4 dimensions, got []');
    expect(writeError({ tensors: [{ name: "t", shape: [1, 1, 1, 1, 1], type: "F32", bytes: new Uint8Array(4) }] })).toContain("1 to 4 dimensions");
    expect(writeError({ tensors: [{ name: "t", shape: [0], type: "F32", bytes: new Uint8Array(0) }] })).toBe('tensor "t": shape [0] has 0; dimensions must be positive integers');
    expect(writeError({ tensors: [loose<GgufTensorValues>({ name: "t", shape: [256], type: "Q4_K", values: new Float32Array(256) })] })).toContain('cannot encode values to Q4_K');
    expect(writeError({ tensors: [{ name: "t", shape: [1], type: loose<"F32">("Q9"), bytes: new Uint8Array(1) }] })).toBe('tensor "t": unknown ggml type "Q9"');
    const nan = new Float32Array(256);
    nan[3] = NaN;
    expect(writeError({ tensors: [{ name: "t", shape: [256], type: "TQ1_0", values: nan }] })).toBe('tensor "t": encodeTQ1_0: element 3 is NaN; quantized formats need finite values');
  });

  it("bad metadata values, arrays of arrays and bad alignments", () => {
    expect(writeError({ metadata: { k: { type: "u8", value: 256 } } })).toBe('metadata "k": 256 is outside u8\'s range 0..255');
    expect(writeError({ metadata: { k: loose<GgufValue>({ type: "u64", value: 1 }) } })).toBe('metadata "k": 1 is not a bigint (u64)');
    expect(writeError({ metadata: { k: { type: "string", value: "\ud800" } } })).toBe('metadata "k": string has a lone UTF-16 surrogate, which UTF-8 cannot encode');
    expect(writeError({ metadata: { k: { type: "array", itemType: "array", value: [arr("u8", [1])] } } })).toBe('metadata "k": arrays of arrays are not written (llama.cpp rejects them)');
    expect(writeError({ metadata: { k: { type: "array", itemType: "string", value: loose<string[]>(["a", 3]) } } })).toBe('metadata "k"[1]: 3 is not a string');
    expect(writeError({ metadata: { "general.alignment": u64(32n) } })).toBe('metadata "general.alignment" must be u32 (llama.cpp refuses other types), got u64');
    expect(writeError({ alignment: 48 })).toBe("alignment must be a power of two that fits in u32, got 48");
    expect(writeError({ metadata: { "general.alignment": u32(64) }, alignment: 32 })).toBe("alignment 32 differs from the metadata's general.alignment 64");
  });

  it("through the typed helpers as well", () => {
    expect(() => u8(-1)).toThrow("u8 value: -1 is outside u8's range 0..255");
    expect(() => u32(1.5)).toThrow("u32 value: 1.5 is not an integer (u32)");
    expect(() => arr("i8", [1, 200])).toThrow("array of i8, element 1: 200 is outside i8's range -128..127");
    expect(f32(0.1).value).toBe(Math.fround(0.1));
  });
});

describe("GgufBuilder", () => {
  it("builds the same bytes as writeGguf", () => {
    const values = new Float32Array(256).fill(0.25);
    const built = new GgufBuilder({ alignment: 64 })
      .set("general.architecture", str("bitnet"))
      .addTensor({ name: "a", shape: [256], type: "TQ1_0", values })
      .addTensor({ name: "b", shape: [4], type: "F32", values: new Float32Array(4) })
      .build();
    const written = writeGguf({
      metadata: [["general.alignment", u32(64)], ["general.architecture", str("bitnet")]],
      tensors: [
        { name: "a", shape: [256], type: "TQ1_0", values },
        { name: "b", shape: [4], type: "F32", values: new Float32Array(4) },
      ],
    });
    expect(built).toEqual(written);
  });

  it("enforces section order, unique entries and a single build", () => {
    const b = new GgufBuilder().set("k", u8(1));
    expect(() => b.set("k", u8(2))).toThrow('GgufBuilder: duplicate metadata key "k"');
    expect(() => b.set("general.alignment", u32(64))).toThrow("differs from the builder's alignment 32");
    b.addTensor({ name: "t", shape: [1], type: "F32", values: new Float32Array(1) });
    expect(() => b.set("late", u8(1))).toThrow('GgufBuilder: metadata "late" comes after tensor "t"; all metadata must come first');
    expect(() => b.addTensor({ name: "t", shape: [1], type: "F32", values: new Float32Array(1) })).toThrow('GgufBuilder: duplicate tensor name "t"');
    expect(() => b.addTensor({ name: "u", shape: [2], type: "F32", bytes: new Uint8Array(4) })).toThrow('tensor "u": 4 bytes, but shape [2] of F32 takes 8');
    expect(parseGguf(b.build()).tensors.map((t) => t.name)).toEqual(["t"]);
    expect(() => b.build()).toThrow("GgufBuilder: build() after build(); a builder writes one file");
    expect(() => new GgufBuilder({ alignment: 3 })).toThrow("alignment must be a power of two");
  });
});

describe("tensorData and dequantize", () => {
  it("name what is missing or unsupported", () => {
    const bytes = writeGguf({ tensors: [{ name: "q", shape: [256], type: "IQ2_XXS", bytes: new Uint8Array(66) }] });
    const file = parseGguf(bytes);
    expect(() => tensorData(file, bytes, "nope")).toThrow('no tensor named "nope" (the file has 1 tensors)');
    expect(() => dequantize(file, bytes, "q")).toThrow(
      'cannot dequantize tensor "q" of type IQ2_XXS; supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K, TQ1_0, TQ2_0, I2_S',
    );
    expect(() => tensorData(file, bytes.subarray(0, bytes.length - 1), "q")).toThrow("pass the bytes the file was parsed from");
    expect(tensorData(file, bytes, "q").length).toBe(66);
  });

  it("swapTensorBytes reverses only the multi-byte fields of a block", () => {
    const block = Uint8Array.from({ length: 66 }, (_, i) => i);
    const swapped = swapTensorBytes("TQ2_0", block);
    expect(Array.from(swapped.subarray(0, 64))).toEqual(Array.from(block.subarray(0, 64)));
    expect([swapped[64], swapped[65]]).toEqual([65, 64]);
    expect(() => swapTensorBytes("Q4_K", new Uint8Array(144))).toThrow("cannot convert the byte order of Q4_K tensor data");
  });
});
