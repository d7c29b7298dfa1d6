// Fuzzing safetensors parsing: valid seed files, byte mutations (flips, big integers, truncation,
// insertions, deletions, header text edits), and the check that a mutated file either parses
// consistently or throws SafetensorsError.
import fc from "fast-check";
import {
  safetensorsDtype,
  SafetensorsError,
  encodeFloats,
  parseSafetensors,
  parseSafetensorsHeader,
  safetensorsHeaderLength,
  tensorArray,
  tensorBytes,
  tensorToFloat32,
  writeSafetensors,
} from "@bitnet-quantize/safetensors";

/** Seed files: several dtypes, scalars, empty tensors, metadata; and one with an unaligned hand-made header. */
export function seedFiles(): Uint8Array[] {
  const floats = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3);
  const packed = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff);
  const a = writeSafetensors({
    tensors: {
      "model.embed_tokens.weight": { dtype: "BF16", shape: [4, 6], data: encodeFloats(floats, "BF16") },
      "model.norm.weight": { dtype: "F32", shape: [6], data: floats.subarray(0, 6) },
      "model.layers.0.self_attn.q_proj.weight": { dtype: "U8", shape: [2, 20], data: packed },
      "model.layers.0.self_attn.q_proj.weight_scale": { dtype: "BF16", shape: [1], data: encodeFloats([0.5], "BF16") },
      "h": { dtype: "F16", shape: [3], data: encodeFloats([1, 2, 3], "F16") },
      "step": { dtype: "I64", shape: [], data: new BigInt64Array([7n]) },
      "empty": { dtype: "F32", shape: [0, 4], data: new Float32Array(0) },
    },
    metadata: { format: "pt", config: '{"hidden_size":6}' },
  });
  const b = writeSafetensors({ tensors: { x: { dtype: "F64", shape: [2], data: new Float64Array([1, -1]) }, y: { dtype: "I8", shape: [3], data: new Int8Array([1, -1, 0]) } } });
  const header = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"a":"b"}}';
  const json = new TextEncoder().encode(header);
  const c = new Uint8Array(8 + json.length + 8);
  new DataView(c.buffer).setBigUint64(0, BigInt(json.length), true);
  c.set(json, 8);
  c.set(new Uint8Array(new Float32Array([1, 2]).buffer), 8 + json.length);
  return [a, b, c];
}

/** One edit of a file's bytes. */
export type Mutation =
  | { readonly kind: "xor"; readonly at: number; readonly mask: number }
  | { readonly kind: "xorFromEnd"; readonly at: number; readonly mask: number }
  | { readonly kind: "u64"; readonly at: number; readonly value: bigint }
  | { readonly kind: "digit"; readonly at: number; readonly digit: number }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "insert"; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: "delete"; readonly at: number; readonly length: number };

const interesting64 = fc.constantFrom(0n, 1n, 2n, 7n, 8n, 64n, 255n, 0x7fffffffn, 0xffffffffn, 1n << 32n, 1n << 53n, 100_000_000n, 100_000_001n, (1n << 63n) - 1n, (1n << 64n) - 1n);
/** A position: mostly in the header (where the structure is), sometimes anywhere. */
const position = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 700 }) }, { weight: 1, arbitrary: fc.nat() });
const snippets = ["{", "}", "[", "]", ",", ":", '"', "0", "9", "-", "e", "null", '"F4"', '"BOOL"', '"C64"', "1e400", "\\u0000"].map((s) => new TextEncoder().encode(s));

/** Mutations biased to the length prefix and to header text, some in the tensor data at the end. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("xor" as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("xorFromEnd" as const), at: fc.integer({ min: 1, max: 64 }), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("u64" as const), at: fc.oneof(fc.constant(0), position), value: interesting64 }),
  fc.record({ kind: fc.constant("digit" as const), at: position, digit: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({ kind: fc.constant("insert" as const), at: position, bytes: fc.oneof(fc.constantFrom(...snippets), fc.uint8Array({ minLength: 1, maxLength: 8 })) }),
  fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
);

/** Applies the mutations in order (positions wrap to the current length). */
export function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = seed.slice();
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case "xor":
        if (b.length > 0) b[at] = b[at] ^ m.mask;
        break;
      case "xorFromEnd": // lands in tensor data: the file must still parse
        if (b.length >= m.at) b[b.length - m.at] = b[b.length - m.at] ^ m.mask;
        break;
      case "u64":
        if (at + 8 <= b.length) new DataView(b.buffer, b.byteOffset).setBigUint64(at, m.value, true);
        break;
      case "digit":
        if (b.length > 0) b[at] = 0x30 + m.digit;
        break;
      case "truncate":
        b = b.slice(0, at);
        break;
      case "insert": {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, at));
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case "delete":
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

/**
 * Parses `bytes`; on success checks that every tensor lies inside the file, tiles the data
 * buffer, has the byte size its dtype and shape say, and that every view and conversion
 * either works or throws SafetensorsError. Any other exception propagates (and fails the run).
 */
export function checkCase(bytes: Uint8Array): "parsed" | "rejected" {
  let file;
  try {
    file = parseSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) return "rejected";
    throw e;
  }
  let end = file.dataOffset;
  for (const t of file.tensors) {
    if (t.byteOffset !== end) throw new Error(`tensor ${t.name} starts at ${t.byteOffset}, expected ${end}`);
    const bits = safetensorsDtype(t.dtype).bits;
    if (t.byteLength * 8 !== t.elementCount * bits) throw new Error(`tensor ${t.name}: size does not match dtype and shape`);
    end += t.byteLength;
    if (tensorBytes(file, t.name).length !== t.byteLength) throw new Error(`tensor ${t.name}: view has the wrong length`);
    tensorArray(file, t.name);
    try {
      tensorToFloat32(file, t.name);
    } catch (e) {
      if (!(e instanceof SafetensorsError)) throw e;
    }
  }
  if (end !== bytes.length) throw new Error(`tensors end at ${end}, file has ${bytes.length} bytes`);
  // The header-only path (files larger than memory) must agree, from exactly the header's bytes.
  const header = parseSafetensorsHeader(bytes.slice(0, safetensorsHeaderLength(bytes, bytes.length)), bytes.length);
  if (JSON.stringify(header.tensors) !== JSON.stringify(file.tensors) || JSON.stringify(header.metadata) !== JSON.stringify(file.metadata)) {
    throw new Error("parseSafetensorsHeader disagrees with parseSafetensors");
  }
  return "parsed";
}
