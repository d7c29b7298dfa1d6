// The version of this package, for error messages and tools. A test holds it
// equal to package.json's (a browser bundle cannot read package.json).

/**
 * The version of `@bitnet-quantize/safetensors`.
 *
 * @example
 * ```ts
 * VERSION; // "0.2.0"
 * ```
 */
export const VERSION = "0.2.0";
