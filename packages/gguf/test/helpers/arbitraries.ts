// fast-check arbitraries for GGUF metadata and tensors, shared by the property tests.
import fc from "fast-check";
import { arr, type GgufTensorInput, type GgufValue } from "@bitnet-quantize/gguf";

const int = (min: number, max: number) => fc.integer({ min, max });
const f32Value = fc.float({ noDefaultInfinity: false });

/** Any scalar or one-level array GGUF value (all 12 scalar types). */
export const ggufValue: fc.Arbitrary<GgufValue> = fc.oneof(
  int(0, 0xff).map((v): GgufValue => ({ type: "u8", value: v })),
  int(-0x80, 0x7f).map((v): GgufValue => ({ type: "i8", value: v })),
  int(0, 0xffff).map((v): GgufValue => ({ type: "u16", value: v })),
  int(-0x8000, 0x7fff).map((v): GgufValue => ({ type: "i16", value: v })),
  int(0, 0xffffffff).map((v): GgufValue => ({ type: "u32", value: v })),
  int(-0x80000000, 0x7fffffff).map((v): GgufValue => ({ type: "i32", value: v })),
  f32Value.map((v): GgufValue => ({ type: "f32", value: v })),
  fc.double().map((v): GgufValue => ({ type: "f64", value: v })),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((v): GgufValue => ({ type: "u64", value: v })),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map((v): GgufValue => ({ type: "i64", value: v })),
  fc.boolean().map((v): GgufValue => ({ type: "bool", value: v })),
  fc.string({ unit: "binary", maxLength: 40 }).map((v): GgufValue => ({ type: "string", value: v })),
  fc.array(fc.string({ unit: "binary", maxLength: 12 }), { maxLength: 8 }).map((v) => arr("string", v)),
  fc.array(f32Value, { maxLength: 8 }).map((v) => arr("f32", v)),
  fc.array(int(-0x80000000, 0x7fffffff), { maxLength: 8 }).map((v) => arr("i32", v)),
  fc.array(int(0, 0xff), { maxLength: 8 }).map((v) => arr("u8", v)),
  fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 4 }).map((v) => arr("u64", v)),
  fc.array(fc.boolean(), { maxLength: 8 }).map((v) => arr("bool", v)),
);

/** Keys @huggingface/gguf puts in typedMetadata itself, so they would be overwritten there. */
const RESERVED = new Set(["general.alignment", "version", "tensor_count", "kv_count"]);

/** Keys: distinct strings of 1..30 characters (any Unicode), never a reserved key. */
export const metadataEntries: fc.Arbitrary<[string, GgufValue][]> = fc.uniqueArray(
  fc.tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 30 }).filter((k) => !RESERVED.has(k)), ggufValue),
  { maxLength: 8, selector: ([k]) => k },
);

/** A tensor given as values for a codec type, or as raw bytes for any type. */
export const tensorInput = (name: string): fc.Arbitrary<GgufTensorInput> =>
  fc.oneof(
    fc.record({ rows: int(1, 3), blocks: int(1, 2), type: fc.constantFrom("TQ1_0" as const, "TQ2_0" as const) }).chain(({ rows, blocks, type }) =>
      fc.array(fc.constantFrom(-1, 0, 1), { minLength: rows * blocks * 256, maxLength: rows * blocks * 256 }).map(
        (t): GgufTensorInput => ({ name, shape: [rows, blocks * 256], type, values: Float32Array.from(t, (x) => x * 0.25) }),
      ),
    ),
    fc.record({ shape: fc.array(int(1, 5), { minLength: 1, maxLength: 4 }), type: fc.constantFrom("F32" as const, "F16" as const, "BF16" as const) }).chain(({ shape, type }) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }).map(
        (v): GgufTensorInput => ({ name, shape, type, values: Float32Array.from(v) }),
      );
    }),
    fc.record({ rows: int(1, 3), blocks: int(1, 3) }).chain(({ rows, blocks }) =>
      fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: rows * blocks * 32, maxLength: rows * blocks * 32 }).map(
        (v): GgufTensorInput => ({ name, shape: [rows, blocks * 32], type: "Q8_0", values: Float32Array.from(v) }),
      ),
    ),
    fc.record({ rows: int(1, 2), type: fc.constantFrom("Q4_K" as const, "Q6_K" as const, "I8" as const) }).chain(({ rows, type }) => {
      const [blockSize, typeSize] = type === "Q4_K" ? [256, 144] : type === "Q6_K" ? [256, 210] : [1, 1];
      return fc.uint8Array({ minLength: rows * typeSize, maxLength: rows * typeSize }).map(
        (bytes): GgufTensorInput => ({ name, shape: [rows, blockSize], type, bytes }),
      );
    }),
  );

/** 0..4 tensors with distinct names shorter than 64 bytes. */
export const tensorInputs: fc.Arbitrary<GgufTensorInput[]> = fc
  .uniqueArray(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }), { maxLength: 4 })
  .chain((names) => (names.length === 0 ? fc.constant([]) : fc.tuple(...names.map(tensorInput))));

export const alignment = fc.constantFrom(1, 8, 32, 64, 256);
