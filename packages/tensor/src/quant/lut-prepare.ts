// Preparing packed ternary weights for the lookup-table kernels: every 4
// weights of a row become one base-3 byte, idx = 27·c0 + 9·c1 + 3·c2 + c3
// (c = t + 1), so one table lookup adds 4 signed activations. Rows are padded
// with zero weights (code 1) to a multiple of 16 weights (4 bytes), so the
// kernels can read 4 indices at a time as one uint32.
import { wordsPerRow } from "./packed-format.js";

/** Weights per base-3 byte. */
export const LUT_GROUP = 4;
/** Table entries per group of 4 activations (3^4). */
export const LUT_ENTRIES = 81;

/** Base-3 indices for the LUT kernels. */
export interface PreparedTernary {
  /** `[N, rowBytes]` indices 0..80. */
  readonly codes: Uint8Array;
  /** The same bytes read as uint32 (4 indices per word, little-endian). */
  readonly codes32: Uint32Array;
  /** Rows (N) and logical columns (K). */
  readonly rows: number;
  readonly cols: number;
  /** Bytes per row: ceil(K / 16) * 4. */
  readonly rowBytes: number;
}

/**
 * Converts 2-bit packed words `[N, ceil(K/16)]` into base-3 LUT indices.
 *
 * @example
 * ```ts
 * const p = prepareBase3(packTernaryArray(new Int8Array([1, 0, -1, 1]), 1, 4), 1, 4);
 * p.codes[0]; // 27·2 + 9·1 + 3·0 + 2 = 65
 * ```
 */
export function prepareBase3(words: Uint32Array, rows: number, cols: number): PreparedTernary {
  const wpr = wordsPerRow(cols);
  const rowBytes = wpr * 4;
  const codes = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    for (let w = 0; w < wpr; w++) {
      const word = words[r * wpr + w];
      for (let b = 0; b < 4; b++) {
        const bits = word >>> (8 * b); // 4 codes, LSB first: element 4b + j at bits 2j
        const c0 = bits & 3;
        const c1 = (bits >>> 2) & 3;
        const c2 = (bits >>> 4) & 3;
        const c3 = (bits >>> 6) & 3;
        codes[r * rowBytes + w * 4 + b] = 27 * c0 + 9 * c1 + 3 * c2 + c3;
      }
    }
  }
  return { codes, codes32: new Uint32Array(codes.buffer), rows, cols, rowBytes };
}
