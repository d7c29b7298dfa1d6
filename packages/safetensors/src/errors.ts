// SafetensorsError: the one error this package throws for bad files and bad writer input.
// Its `kind` is the name the Rust reference reader gives the same problem.

/**
 * What was wrong, named after the Rust `safetensors` crate's `SafeTensorError` variants
 * where one exists (`InvalidOffset`, `MetadataIncompleteBuffer`, ...), plus this
 * package's own: `CapExceeded` (a cap of {@link SafetensorsCaps}), `TensorNotFound`,
 * `UnsupportedDtype` (a conversion this package does not do), `InvalidInput` (writer
 * input) and `InvalidIndex` (a sharded checkpoint's index file).
 *
 * @example
 * ```ts
 * const kind: SafetensorsErrorKind = "InvalidOffset";
 * ```
 */
export type SafetensorsErrorKind =
  | "HeaderTooSmall"
  | "HeaderTooLarge"
  | "InvalidHeaderLength"
  | "InvalidHeader"
  | "InvalidHeaderStart"
  | "InvalidHeaderDeserialization"
  | "InvalidOffset"
  | "ValidationOverflow"
  | "MisalignedSlice"
  | "TensorInvalidInfo"
  | "MetadataIncompleteBuffer"
  | "CapExceeded"
  | "TensorNotFound"
  | "UnsupportedDtype"
  | "InvalidInput"
  | "InvalidIndex";

/**
 * A malformed, truncated or unsupported safetensors file, or invalid input to the writer.
 * `offset` is the byte offset in the file where the problem was found, when there is one.
 *
 * @example
 * ```ts
 * try { parseSafetensors(new Uint8Array(3)); }
 * catch (e) { if (e instanceof SafetensorsError) console.log(e.kind, e.message); }
 * // "HeaderTooSmall" "safetensors error at byte 0 (HeaderTooSmall): the file has 3 bytes; the header length alone needs 8"
 * ```
 */
export class SafetensorsError extends Error {
  /** Which check failed. */
  readonly kind: SafetensorsErrorKind;
  /** Byte offset in the file where the problem is, when there is one. */
  readonly offset: number | undefined;
  /** What was wrong, without the prefix. */
  readonly reason: string;

  constructor(kind: SafetensorsErrorKind, reason: string, offset?: number) {
    super(
      offset === undefined
        ? `safetensors error (${kind}): ${reason}`
        : `safetensors error at byte ${offset} (${kind}): ${reason}`,
    );
    this.name = "SafetensorsError";
    this.kind = kind;
    this.offset = offset;
    this.reason = reason;
  }
}
