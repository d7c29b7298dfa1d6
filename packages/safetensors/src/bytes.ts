// Byte inputs: what every byte-taking function of this package accepts, and
// the one conversion to a plain Uint8Array (the same rules as
// @bitnet-quantize/gguf's toBytes; kept here so that this package stays
// dependency-free, and so that a bad input is a SafetensorsError).
import { SafetensorsError } from "./errors.js";

/**
 * Bytes as a caller has them: a `Uint8Array` (a Node `Buffer` is one), an
 * `ArrayBuffer` or `SharedArrayBuffer` (what `fetch().arrayBuffer()` and
 * `FileReader` give), or any other `ArrayBufferView` (`DataView`, a typed
 * array), read as its bytes.
 *
 * @example
 * ```ts
 * const bytes: BytesLike = await (await fetch("model.safetensors")).arrayBuffer();
 * ```
 */
export type BytesLike = Uint8Array | ArrayBufferLike | ArrayBufferView;

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object";
}

function isArrayBufferLike(x: object): x is ArrayBufferLike {
  const tag = Object.prototype.toString.call(x);
  return tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]";
}

/**
 * `input` as a plain `Uint8Array` over the same memory (no copy): itself for a
 * plain `Uint8Array`, a plain view for a Node `Buffer` or another
 * `ArrayBufferView`, a view of a whole `ArrayBuffer`. Anything else throws a
 * {@link SafetensorsError} of kind `InvalidInput` naming `op` and what it got.
 *
 * @example
 * ```ts
 * toBytes(new Uint16Array([1]).buffer, "parseSafetensors"); // Uint8Array [1, 0]
 * toBytes("model", "parseSafetensors"); // throws SafetensorsError: parseSafetensors: expected bytes (...), got string (kind InvalidInput)
 * ```
 */
export function toBytes(input: unknown, op: string): Uint8Array {
  if (typeof input === "object" && input !== null) {
    if (input instanceof Uint8Array && Object.getPrototypeOf(input) === Uint8Array.prototype) return input;
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    if (isArrayBufferLike(input)) return new Uint8Array(input);
  }
  throw new SafetensorsError("InvalidInput", `${op}: expected bytes (a Uint8Array, Buffer, ArrayBuffer or another ArrayBufferView), got ${describe(input)}`);
}
