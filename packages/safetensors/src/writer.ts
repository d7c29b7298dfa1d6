// The safetensors writer: the reference writer's layout (dtype-then-name order, back-to-back
// offsets, compact JSON header padded with spaces to 8 bytes), so every tensor is aligned.
import { safetensorsDtype, isSafetensorsDtype, type SafetensorsDtype } from "./dtypes.js";
import { SafetensorsError } from "./errors.js";
import { DEFAULT_SAFETENSORS_CAPS } from "./caps.js";
import { numberToBf16Bits, numberToF16Bits } from "./half.js";

/**
 * One tensor to write: its dtype, shape, and data — any typed array or byte view whose
 * bytes are the little-endian elements (its byte length must match dtype × shape).
 *
 * @example
 * ```ts
 * const t: SafetensorsTensorInput = { dtype: "F32", shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) };
 * ```
 */
export interface SafetensorsTensorInput {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: ArrayBufferView;
}

/**
 * What {@link writeSafetensors} writes: tensors by name (a record or a map; the order
 * does not matter, the writer sorts) and an optional `__metadata__` string map.
 *
 * @example
 * ```ts
 * const input: SafetensorsWriteInput = { tensors: { w: t }, metadata: { format: "pt" } };
 * ```
 */
export interface SafetensorsWriteInput {
  readonly tensors: Readonly<Record<string, SafetensorsTensorInput>> | ReadonlyMap<string, SafetensorsTensorInput>;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * One tensor's place in a planned file (see {@link planSafetensors}).
 *
 * @example
 * ```ts
 * // { name: "w", dtype: "F32", shape: [2, 2], begin: 0, end: 16 }
 * ```
 */
export interface SafetensorsPlannedTensor {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/**
 * A planned file: the header bytes (length prefix and padding included), where each
 * tensor goes in the data buffer, and the total size. Lets a caller stream a file
 * larger than memory: write `header`, then each tensor's bytes in `tensors` order.
 *
 * @example
 * ```ts
 * const plan = planSafetensors({ w: { dtype: "F32", shape: [4] } });
 * plan.header.length; // a multiple of 8
 * plan.totalBytes;    // plan.header.length + 16
 * ```
 */
export interface SafetensorsPlan {
  readonly header: Uint8Array;
  readonly tensors: readonly SafetensorsPlannedTensor[];
  readonly totalBytes: number;
}

/**
 * Lays out a file the way the reference writer does: tensors sorted by dtype
 * (descending enum order, so wider dtypes come first and every tensor is aligned to its
 * element size) then by name, back to back; the header is compact JSON with
 * `__metadata__` first, padded with spaces to a multiple of 8.
 *
 * @throws SafetensorsError (InvalidInput) for an unknown dtype, a bad shape, a tensor
 *   named `__metadata__`, a sub-byte tensor that is not a whole number of bytes, or a
 *   header over 100 MB.
 * @example
 * ```ts
 * planSafetensors({ a: { dtype: "U8", shape: [3] }, b: { dtype: "F32", shape: [1] } }).tensors.map((t) => t.name); // ["b", "a"]
 * ```
 */
export function planSafetensors(
  tensors: Readonly<Record<string, { readonly dtype: SafetensorsDtype; readonly shape: readonly number[] }>>
    | ReadonlyMap<string, { readonly dtype: SafetensorsDtype; readonly shape: readonly number[] }>,
  metadata?: Readonly<Record<string, string>>,
): SafetensorsPlan {
  const list = [...(isMap(tensors) ? tensors.entries() : Object.entries(tensors))].map(([name, t]) => {
    if (name === "__metadata__") throw new SafetensorsError("InvalidInput", "a tensor cannot be named __metadata__");
    if (!isSafetensorsDtype(t.dtype)) throw new SafetensorsError("InvalidInput", `tensor ${JSON.stringify(name)}: unknown dtype ${JSON.stringify(t.dtype)}`);
    let count = 1;
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new SafetensorsError("InvalidInput", `tensor ${JSON.stringify(name)}: bad shape [${t.shape.join(", ")}]`);
      count *= d;
    }
    const bits = safetensorsDtype(t.dtype).bits;
    if (!Number.isSafeInteger(count * bits) || (count * bits) % 8 !== 0) {
      throw new SafetensorsError("InvalidInput", `tensor ${JSON.stringify(name)}: ${count} × ${bits}-bit ${t.dtype} is not a whole number of bytes`);
    }
    return { name, dtype: t.dtype, shape: [...t.shape], byteLength: (count * bits) / 8, order: safetensorsDtype(t.dtype).order };
  });
  list.sort((a, b) => b.order - a.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const planned: SafetensorsPlannedTensor[] = [];
  const parts: string[] = [];
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new SafetensorsError("InvalidInput", `__metadata__[${JSON.stringify(k)}] must be a string`);
    }
    // Built by hand so integer-like keys keep their order (JSON.stringify would hoist them).
    parts.push(`"__metadata__":{${Object.entries(metadata).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
  }
  let offset = 0;
  for (const t of list) {
    planned.push(Object.freeze({ name: t.name, dtype: t.dtype, shape: Object.freeze(t.shape), begin: offset, end: offset + t.byteLength }));
    parts.push(`${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(",")}],"data_offsets":[${offset},${offset + t.byteLength}]}`);
    offset += t.byteLength;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const n = Math.ceil(json.length / 8) * 8;
  if (n > DEFAULT_SAFETENSORS_CAPS.maxHeaderBytes) {
    throw new SafetensorsError("InvalidInput", `the header would be ${n} bytes; the format's limit is ${DEFAULT_SAFETENSORS_CAPS.maxHeaderBytes}`);
  }
  const header = new Uint8Array(8 + n).fill(0x20);
  new DataView(header.buffer).setBigUint64(0, BigInt(n), true);
  header.set(json, 8);
  return Object.freeze({ header, tensors: Object.freeze(planned), totalBytes: 8 + n + offset });
}

/**
 * Writes a safetensors file in memory with the reference writer's layout (see
 * {@link planSafetensors}). Pass `metadata: { format: "pt" }` for files transformers loads.
 *
 * @throws SafetensorsError (InvalidInput) for bad input, including data whose byte length
 *   does not match dtype × shape.
 * @example
 * ```ts
 * const bytes = writeSafetensors({ tensors: { w: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } }, metadata: { format: "pt" } });
 * parseSafetensors(bytes).metadata; // { format: "pt" }
 * writeSafetensors({ tensors: {} }).length; // 16: N = 8, then "{}" and six spaces
 * ```
 */
export function writeSafetensors(input: SafetensorsWriteInput): Uint8Array {
  const tensors: ReadonlyMap<string, SafetensorsTensorInput> = isMap(input.tensors) ? input.tensors : new Map(Object.entries(input.tensors));
  const plan = planSafetensors(tensors, input.metadata);
  const out = new Uint8Array(plan.totalBytes);
  out.set(plan.header, 0);
  for (const t of plan.tensors) {
    const tensor = tensors.get(t.name);
    if (tensor === undefined) throw new SafetensorsError("InvalidInput", `tensor ${JSON.stringify(t.name)} is in the plan but not in the input`);
    const data = tensor.data;
    if (data.byteLength !== t.end - t.begin) {
      throw new SafetensorsError(
        "InvalidInput",
        `tensor ${JSON.stringify(t.name)}: ${t.dtype} [${t.shape.join(", ")}] needs ${t.end - t.begin} bytes, data has ${data.byteLength}`,
      );
    }
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), plan.header.length + t.begin);
  }
  return out;
}

/**
 * Encodes numbers as the little-endian bytes of a float dtype (F32, F16, BF16 or F64),
 * rounding to nearest even, ready for {@link SafetensorsTensorInput}'s `data`.
 *
 * @example
 * ```ts
 * encodeFloats([1, -2], "BF16"); // Uint8Array [0x80, 0x3f, 0x00, 0xc0]
 * ```
 */
export function encodeFloats(values: ArrayLike<number>, dtype: "F32" | "F16" | "BF16" | "F64"): Uint8Array {
  switch (dtype) {
    case "F32":
      return new Uint8Array(Float32Array.from(values).buffer);
    case "F64":
      return new Uint8Array(Float64Array.from(values).buffer);
    case "F16":
      return new Uint8Array(Uint16Array.from(values, numberToF16Bits).buffer);
    case "BF16":
      return new Uint8Array(Uint16Array.from(values, numberToBf16Bits).buffer);
  }
}

/** Narrows a map-or-record input (`instanceof Map` alone narrows to `Map<any, any>`). */
function isMap<V>(x: ReadonlyMap<string, V> | Readonly<Record<string, V>>): x is ReadonlyMap<string, V> {
  return x instanceof Map;
}
