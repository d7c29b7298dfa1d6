// GgufError: the one error this package throws for bad files and bad writer input.
// It is not a result type; callers catch it (or let it surface with its offset).

/**
 * A malformed, truncated or unsupported GGUF file, or invalid input to the writer.
 * `offset` is the byte offset in the file where the problem was found (for
 * reader errors); it is `undefined` for problems that have no position, such as
 * a writer input error or a tensor name that is not in the file.
 *
 * @example
 * ```ts
 * try { parseGguf(new Uint8Array([0x47, 0x47])); }
 * catch (e) { if (e instanceof GgufError) console.log(e.offset, e.message); }
 * // 0 "GGUF error at byte 0: magic: needs 4 bytes, but the file has 2 bytes (2 remain)"
 * ```
 */
export class GgufError extends Error {
  /** Byte offset in the file where the problem is, when there is one. */
  readonly offset: number | undefined;
  /** What was wrong, without the "at byte N" prefix. */
  readonly reason: string;

  constructor(reason: string, offset?: number) {
    super(offset === undefined ? `GGUF error: ${reason}` : `GGUF error at byte ${offset}: ${reason}`);
    this.name = "GgufError";
    this.offset = offset;
    this.reason = reason;
  }
}
