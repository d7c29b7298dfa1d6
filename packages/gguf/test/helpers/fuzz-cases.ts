// Fuzzing GGUF parsing: valid seed files, mutations (flips, big integers, truncation, insertions,
// deletions), and the check that a mutated file either parses consistently or throws GgufError.
import fc from "fast-check";
import {
  GgufError,
  canSwapTensorBytes,
  arr,
  bool,
  dequantize,
  f32,
  f64,
  ggmlByteLength,
  i16,
  i64,
  i8,
  parseGguf,
  readGgufHeader,
  str,
  tensorData,
  u16,
  u32,
  u64,
  u8,
  writeGguf,
  type GgufFile,
} from "@bitnet-quantize/gguf";
import { hasDecoder } from "@bitnet-quantize/gguf/codecs";

/** Seed files: rich metadata and every codec type, little- and big-endian, two alignments. */
export function seedFiles(): Uint8Array[] {
  const ternary = Float32Array.from({ length: 512 }, (_, i) => ((i * 7) % 3) - 1);
  const floats = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 3);
  const metadata = {
    "general.architecture": str("bitnet"),
    "general.name": str("fuzz seed ü"),
    "bitnet.block_count": u32(2),
    "bitnet.attention.layer_norm_rms_epsilon": f32(1e-5),
    "x.u8": u8(200),
    "x.i8": i8(-3),
    "x.u16": u16(9),
    "x.i16": i16(-9),
    "x.u64": u64(123456789012n),
    "x.i64": i64(-5n),
    "x.f64": f64(Math.PI),
    "x.bool": bool(true),
    "tokenizer.ggml.tokens": arr("string", ["<unk>", "<s>", "</s>", "a", "bb", "ccc"]),
    "tokenizer.ggml.scores": arr("f32", [0, -1, -2, -3, -4, -5]),
    "tokenizer.ggml.token_type": arr("i32", [2, 3, 3, 1, 1, 1]),
    "x.flags": arr("bool", [true, false]),
    "x.u64s": arr("u64", [1n, 2n]),
  };
  const tensors = [
    { name: "token_embd.weight", shape: [2, 32], type: "F16" as const, values: floats },
    { name: "output_norm.weight", shape: [64], type: "F32" as const, values: floats },
    { name: "blk.0.attn_q.weight", shape: [2, 256], type: "TQ2_0" as const, values: ternary },
    { name: "blk.0.attn_k.weight", shape: [2, 256], type: "TQ1_0" as const, values: ternary },
    { name: "blk.0.ffn_up.weight", shape: [2, 32], type: "Q8_0" as const, values: floats },
    { name: "blk.0.ffn_down.weight", shape: [2, 32], type: "BF16" as const, values: floats },
  ];
  const quant = { name: "q4k", shape: [256], type: "Q4_K" as const, bytes: new Uint8Array(144).fill(7) };
  const q6k = { name: "q6k", shape: [256], type: "Q6_K" as const, bytes: Uint8Array.from({ length: 210 }, (_, i) => (i * 31) & 0xff) };
  const i2s = { name: "i2s", shape: [2, 128], type: "I2_S" as const, values: ternary.subarray(0, 256) };
  return [
    writeGguf({ metadata, tensors: [...tensors, quant, q6k, i2s] }),
    writeGguf({ metadata, tensors, alignment: 64, littleEndian: false }),
    writeGguf({ metadata: { "general.architecture": str("bitnet") }, tensors: tensors.slice(2, 4), alignment: 8 }),
  ];
}

/** One edit of a file's bytes. */
export type Mutation =
  | { readonly kind: "xor"; readonly at: number; readonly mask: number }
  | { readonly kind: "u64"; readonly at: number; readonly value: bigint }
  | { readonly kind: "u32"; readonly at: number; readonly value: number }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "insert"; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: "delete"; readonly at: number; readonly length: number };

const interesting64 = fc.constantFrom(0n, 1n, 2n, 4n, 63n, 64n, 255n, 256n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 32n, 1n << 53n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n);
const interesting32 = fc.constantFrom(0, 1, 3, 4, 5, 7, 8, 9, 12, 13, 34, 35, 36, 39, 40, 64, 0x7fffffff, 0xffffffff);

/** A position: mostly in the header (where the structure is), sometimes anywhere. */
const position = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1200 }) }, { weight: 1, arbitrary: fc.nat() });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("xor" as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("u64" as const), at: position, value: fc.oneof(interesting64, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })) }),
  fc.record({ kind: fc.constant("u32" as const), at: position, value: fc.oneof(interesting32, fc.nat()) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 32 }) }),
);

/** Applies mutations in order; positions wrap around the current length. */
export function mutate(file: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = file.slice();
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    switch (m.kind) {
      case "xor":
        if (bytes.length > 0) bytes[at] = bytes[at] ^ m.mask;
        break;
      case "u64":
      case "u32": {
        const width = m.kind === "u64" ? 8 : 4;
        let v = BigInt(m.value);
        for (let k = 0; k < width && at + k < bytes.length; k++) {
          bytes[at + k] = Number(v & 0xffn);
          v >>= 8n;
        }
        break;
      }
      case "truncate":
        bytes = bytes.slice(0, at);
        break;
      case "insert": {
        const next = new Uint8Array(bytes.length + m.bytes.length);
        next.set(bytes.subarray(0, at), 0);
        next.set(m.bytes, at);
        next.set(bytes.subarray(at), at + m.bytes.length);
        bytes = next;
        break;
      }
      case "delete": {
        const end = Math.min(bytes.length, at + m.length);
        const next = new Uint8Array(bytes.length - (end - at));
        next.set(bytes.subarray(0, at), 0);
        next.set(bytes.subarray(end), at);
        bytes = next;
        break;
      }
    }
  }
  return bytes;
}

/** The outcome of one case: parsed (with tensors touched) or rejected with a GgufError. */
export type Outcome = "parsed" | "rejected";

/**
 * Parses `bytes`; on success checks that every tensor lies inside the buffer with the size
 * its shape and type imply, and reads (and dequantizes) each. Anything thrown other than a
 * GgufError propagates, failing the caller's property.
 */
export function checkCase(bytes: Uint8Array, strict: boolean): Outcome {
  let file: GgufFile;
  try {
    file = parseGguf(bytes, { strict });
  } catch (e) {
    if (e instanceof GgufError) return "rejected";
    throw e;
  }
  checkTensors(file, bytes);
  return "parsed";
}

function checkTensors(file: GgufFile, bytes: Uint8Array): void {
  for (const t of file.tensors) {
    const expected = ggmlByteLength(t.type, t.elementCount);
    if (t.byteLength !== expected) throw new Error(`tensor ${t.name}: byteLength ${t.byteLength}, expected ${expected}`);
    if (file.dataOffset + t.offset + t.byteLength > bytes.length) throw new Error(`tensor ${t.name} lies outside the buffer`);
    if (tensorData(file, bytes, t.name).length !== t.byteLength) throw new Error(`tensor ${t.name}: wrong data length`);
    // Big-endian files decode only the types whose byte order is known (others give a GgufError by design).
    if (hasDecoder(t.type) && (file.littleEndian || canSwapTensorBytes(t.type))) {
      let values: Float32Array;
      try {
        values = dequantize(file, bytes, t.name);
      } catch (e) {
        // I2_S sizes its data per tensor, so the reader accepts element counts its decoder refuses
        // (not a multiple of 128): that must be the typed error, and only for I2_S.
        if (e instanceof GgufError && t.type === "I2_S") continue;
        throw e;
      }
      if (values.length !== t.elementCount) throw new Error(`tensor ${t.name}: ${values.length} values, expected ${t.elementCount}`);
    }
  }
}

/** Like {@link checkCase} through the streaming reader; it must agree with parseGguf. */
export async function checkStreamingCase(bytes: Uint8Array, strict: boolean, initialBytes: number): Promise<Outcome> {
  let direct: GgufFile | GgufError;
  try {
    direct = parseGguf(bytes, { strict });
  } catch (e) {
    if (!(e instanceof GgufError)) throw e;
    direct = e;
  }
  let streamed: GgufFile | GgufError;
  try {
    streamed = await readGgufHeader(new Blob([bytes]), { strict, initialBytes });
  } catch (e) {
    if (!(e instanceof GgufError)) throw e;
    streamed = e;
  }
  if (direct instanceof GgufError || streamed instanceof GgufError) {
    if (!(direct instanceof GgufError && streamed instanceof GgufError) || direct.message !== streamed.message) {
      throw new Error(`streaming and in-memory readers disagree: ${String(direct instanceof GgufError ? direct.message : "parsed")} vs ${String(streamed instanceof GgufError ? streamed.message : "parsed")}`);
    }
    return "rejected";
  }
  return "parsed";
}
