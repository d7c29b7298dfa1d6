// The errors @bitnet-quantize/bitnet throws: each names what was wrong.

/**
 * Base class of this package's errors.
 *
 * @example
 * ```ts
 * try { BitNetConfig.builder().activationBits(9).build(); } catch (e) { e instanceof BitNetError; } // true
 * ```
 */
export class BitNetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A quantizer met a value it cannot quantize (NaN or ±Infinity), a dtype it
 * does not take, or bad options; names the tensor and the first bad index.
 *
 * @example
 * ```ts
 * absMeanTernary(tensor([1, NaN])); // throws QuantizationError: absMeanTernary: weight has NaN at index 1
 * ```
 */
export class QuantizationError extends BitNetError {}

/**
 * A configuration value out of range, naming the field and what is allowed.
 *
 * @example
 * ```ts
 * BitNetConfig.builder().groupSize(0).build(); // throws ConfigError: groupSize must be "tensor", "row" or a positive integer, got 0
 * ```
 */
export class ConfigError extends BitNetError {}
