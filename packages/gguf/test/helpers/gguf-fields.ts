// Structure-aware fuzzing of GGUF files: a map of every header field of a valid
// little-endian file (counts, lengths, type ids, dims, offsets, values), and
// mutations that target those fields, truncate at field boundaries, nest
// arrays, and duplicate or drop whole metadata entries and tensor infos.
import fc from "fast-check";

/** What a header field is. */
export type FieldKind =
  | "version"
  | "tensorCount"
  | "kvCount"
  | "keyLength"
  | "valueType"
  | "stringLength"
  | "arrayItemType"
  | "arrayCount"
  | "scalar"
  | "nameLength"
  | "nDims"
  | "ne"
  | "tensorType"
  | "tensorOffset";

/** One field: where it is, how wide, and (for metadata) which key it belongs to. */
export interface Field {
  readonly kind: FieldKind;
  readonly at: number;
  readonly width: 1 | 2 | 4 | 8;
  readonly key?: string;
}

/** The header's structure. */
export interface GgufLayout {
  readonly fields: readonly Field[];
  /** Start offsets of every field, plus the end of the header and of the file. */
  readonly boundaries: readonly number[];
  /** [start, end) of each metadata entry. */
  readonly entries: readonly (readonly [number, number])[];
  /** [start, end) of each tensor info. */
  readonly tensorInfos: readonly (readonly [number, number])[];
}

const SCALAR_WIDTH: Record<number, 1 | 2 | 4 | 8> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/**
 * Maps the header of a valid little-endian GGUF (as the writer makes it).
 *
 * @example
 * ```ts
 * ggufLayout(writeGguf({ metadata: { k: u32(1) } })).fields.map((f) => f.kind); // ["version", "tensorCount", "kvCount", "keyLength", "valueType", "scalar"]
 * ```
 */
export function ggufLayout(bytes: Uint8Array): GgufLayout {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Field[] = [];
  const entries: [number, number][] = [];
  const tensorInfos: [number, number][] = [];
  let p = 4;
  const field = (kind: FieldKind, width: 1 | 2 | 4 | 8, key?: string): number => {
    fields.push(key === undefined ? { kind, at: p, width } : { kind, at: p, width, key });
    const v = width === 8 ? Number(dv.getBigUint64(p, true)) : width === 4 ? dv.getUint32(p, true) : width === 2 ? dv.getUint16(p, true) : dv.getUint8(p);
    p += width;
    return v;
  };
  field("version", 4);
  const nTensors = field("tensorCount", 8);
  const nKv = field("kvCount", 8);
  const decoder = new TextDecoder();
  for (let i = 0; i < nKv; i++) {
    const start = p;
    const keyLen = field("keyLength", 8);
    const key = decoder.decode(bytes.subarray(p, p + keyLen));
    p += keyLen;
    const type = field("valueType", 4, key);
    // (`p += field(...)` would add to p's value from before field() moved it)
    if (type === 8) {
      const len = field("stringLength", 8, key);
      p += len;
    } else if (type === 9) {
      const item = field("arrayItemType", 4, key);
      const count = field("arrayCount", 8, key);
      if (item === 8) {
        for (let k = 0; k < count; k++) {
          const len = field("stringLength", 8, key);
          p += len;
        }
      } else {
        p += count * (SCALAR_WIDTH[item] ?? 0);
      }
    } else {
      field("scalar", SCALAR_WIDTH[type] ?? 1, key);
    }
    entries.push([start, p]);
  }
  for (let i = 0; i < nTensors; i++) {
    const start = p;
    const nameLen = field("nameLength", 8);
    p += nameLen;
    const nd = field("nDims", 4);
    for (let d = 0; d < nd; d++) field("ne", 8);
    field("tensorType", 4);
    field("tensorOffset", 8);
    tensorInfos.push([start, p]);
  }
  const boundaries = [...new Set([0, 4, ...fields.map((f) => f.at), ...fields.map((f) => f.at + f.width), p, bytes.length])].sort((a, b) => a - b);
  return { fields, boundaries, entries, tensorInfos };
}

/** Value type ids of the same width, so that a retyped scalar still parses and reaches the model checks. */
const SAME_WIDTH: Record<number, readonly number[]> = { 1: [0, 1, 7], 2: [2, 3], 4: [4, 5, 6], 8: [10, 11, 12] };

/** One structure-aware edit. Indices wrap around what the layout has. */
export type StructuredMutation =
  | { readonly kind: "set"; readonly field: number; readonly value: bigint }
  | { readonly kind: "setKind"; readonly target: FieldKind; readonly index: number; readonly value: bigint }
  | { readonly kind: "truncate"; readonly boundary: number }
  | { readonly kind: "nest"; readonly index: number }
  | { readonly kind: "scalar"; readonly index: number; readonly value: bigint }
  | { readonly kind: "retype"; readonly index: number; readonly choice: number }
  | { readonly kind: "dupEntry"; readonly index: number }
  | { readonly kind: "dropEntry"; readonly index: number }
  | { readonly kind: "dupTensor"; readonly index: number }
  | { readonly kind: "dropTensor"; readonly index: number };

const interesting = fc.constantFrom(
  0n, 1n, 2n, 3n, 4n, 7n, 8n, 9n, 12n, 13n, 16n, 31n, 32n, 33n, 36n, 37n, 39n, 40n, 63n, 64n, 255n, 256n, 4000n, 65535n, 65536n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 32n, 4294967295n, 1n << 53n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n,
);
const KINDS: readonly FieldKind[] = ["version", "tensorCount", "kvCount", "keyLength", "valueType", "stringLength", "arrayItemType", "arrayCount", "scalar", "nameLength", "nDims", "ne", "tensorType", "tensorOffset"];

/**
 * Arbitrary structure-aware mutations: field values (mostly boundary values),
 * one field kind targeted by name, truncation at a field boundary, array
 * nesting, and whole entries or tensor infos duplicated or dropped.
 *
 * @example
 * ```ts
 * fc.sample(structuredMutation, 1); // [{ kind: "set", field: 12, value: 4294967295n }]
 * ```
 */
export const structuredMutation: fc.Arbitrary<StructuredMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("set" as const), field: fc.nat(), value: fc.oneof({ weight: 3, arbitrary: interesting }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("setKind" as const), target: fc.constantFrom(...KINDS), index: fc.nat(), value: interesting }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncate" as const), boundary: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("nest" as const), index: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("scalar" as const), index: fc.nat(), value: fc.oneof(interesting, fc.bigInt({ min: 0n, max: 1024n })) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("retype" as const), index: fc.nat(), choice: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dupEntry" as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dropEntry" as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dupTensor" as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dropTensor" as const), index: fc.nat() }) },
);

function writeUint(bytes: Uint8Array, f: Field, value: bigint): void {
  let v = value & ((1n << BigInt(8 * f.width)) - 1n);
  for (let k = 0; k < f.width; k++) {
    bytes[f.at + k] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function addToCount(bytes: Uint8Array, at: number, delta: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  dv.setBigUint64(at, BigInt.asUintN(64, dv.getBigUint64(at, true) + BigInt(delta)), true);
}

function splice(bytes: Uint8Array, start: number, removeCount: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - removeCount + insert.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(insert, start);
  out.set(bytes.subarray(start + removeCount), start + insert.length);
  return out;
}

/**
 * Applies mutations to a valid file: field edits first (positions from the
 * valid file's layout), then at most one edit that changes the length.
 *
 * @example
 * ```ts
 * const bad = mutateStructured(seed, ggufLayout(seed), [{ kind: "setKind", target: "nDims", index: 0, value: 9n }]);
 * ```
 */
export function mutateStructured(file: Uint8Array, layout: GgufLayout, mutations: readonly StructuredMutation[]): Uint8Array {
  let bytes: Uint8Array = file.slice();
  const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);
  const structural: StructuredMutation[] = [];
  for (const m of mutations) {
    switch (m.kind) {
      case "set": {
        const f = pick(layout.fields, m.field);
        if (f !== undefined) writeUint(bytes, f, m.value);
        break;
      }
      case "setKind": {
        const f = pick(
          layout.fields.filter((x) => x.kind === m.target),
          m.index,
        );
        if (f !== undefined) writeUint(bytes, f, m.value);
        break;
      }
      case "nest": {
        const f = pick(
          layout.fields.filter((x) => x.kind === "arrayItemType"),
          m.index,
        );
        if (f !== undefined) writeUint(bytes, f, 9n);
        break;
      }
      case "scalar": {
        // a metadata value (block_count, context_length, ids, flags, alignment, ...)
        const f = pick(
          layout.fields.filter((x) => x.kind === "scalar"),
          m.index,
        );
        if (f !== undefined) writeUint(bytes, f, m.value);
        break;
      }
      case "retype": {
        // a scalar's value type swapped for another of its width (u32 -> f32, u8 -> bool, ...)
        const scalars = layout.fields.filter((x) => x.kind === "scalar");
        const f = pick(scalars, m.index);
        if (f === undefined) break;
        const typeField = layout.fields[layout.fields.indexOf(f) - 1];
        const choices = SAME_WIDTH[f.width] ?? [];
        if (typeField?.kind === "valueType" && choices.length > 0) writeUint(bytes, typeField, BigInt(choices[m.choice % choices.length]));
        break;
      }
      default:
        structural.push(m);
    }
  }
  const m = structural[0];
  if (m === undefined) return bytes;
  const tensorCountAt = 8;
  const kvCountAt = 16;
  switch (m.kind) {
    case "truncate": {
      const b = pick(layout.boundaries, m.boundary) ?? 0;
      bytes = bytes.slice(0, b);
      break;
    }
    case "dupEntry":
    case "dropEntry":
    case "dupTensor":
    case "dropTensor": {
      const isEntry = m.kind === "dupEntry" || m.kind === "dropEntry";
      const span = pick(isEntry ? layout.entries : layout.tensorInfos, m.index);
      if (span === undefined) break;
      const [s, e] = span;
      const dup = m.kind === "dupEntry" || m.kind === "dupTensor";
      bytes = dup ? splice(bytes, e, 0, bytes.slice(s, e)) : splice(bytes, s, e - s, new Uint8Array(0));
      if (bytes.length >= 24) addToCount(bytes, isEntry ? kvCountAt : tensorCountAt, dup ? 1 : -1);
      break;
    }
    default:
      break;
  }
  return bytes;
}
