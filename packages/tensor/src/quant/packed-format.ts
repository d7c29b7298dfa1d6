// The packed ternary format shared by every backend: 16 two-bit codes per
// uint32 word, code = t + 1 (0 = -1, 1 = 0, 2 = +1), element j of a row in
// bits 2(j % 16) .. 2(j % 16) + 1 of word j / 16 (LSB first); each row padded
// to whole words with code 1 (zero). Plain loops over typed arrays; no tensors.
import { ArgumentError } from "../errors.js";

/** Codes per uint32 word. */
export const CODES_PER_WORD = 16;

/**
 * Words per packed row of `cols` ternary values.
 *
 * @example
 * ```ts
 * wordsPerRow(17); // 2
 * ```
 */
export function wordsPerRow(cols: number): number {
  return Math.ceil(cols / CODES_PER_WORD);
}

/**
 * Packs row-major ternary values `[rows, cols]` (each -1, 0 or 1) into words
 * `[rows, wordsPerRow(cols)]`. Throws on any other value, naming its index.
 *
 * @example
 * ```ts
 * packTernaryArray(new Int8Array([1, 0, -1]), 1, 3); // Uint32Array [0b01_01_..._00_01_10]
 * ```
 */
export function packTernaryArray(values: ArrayLike<number>, rows: number, cols: number): Uint32Array {
  if (values.length !== rows * cols) throw new ArgumentError(`packTernary: ${values.length} values for ${rows} x ${cols}`);
  const wpr = wordsPerRow(cols);
  const out = new Uint32Array(rows * wpr);
  for (let r = 0; r < rows; r++) {
    for (let w = 0; w < wpr; w++) {
      let word = 0;
      for (let j = 0; j < CODES_PER_WORD; j++) {
        const c = w * CODES_PER_WORD + j;
        let code = 1;
        if (c < cols) {
          const t = values[r * cols + c];
          if (t !== -1 && t !== 0 && t !== 1) {
            throw new ArgumentError(`packTernary: value ${t} at index ${r * cols + c} is not -1, 0 or 1`);
          }
          code = t + 1;
        }
        word |= code << (2 * j);
      }
      out[r * wpr + w] = word >>> 0;
    }
  }
  return out;
}

/**
 * Unpacks words `[rows, wordsPerRow(cols)]` into int8 ternary values `[rows, cols]`.
 * A code of 3 (never written by the packer) throws.
 *
 * @example
 * ```ts
 * unpackTernaryArray(packTernaryArray(new Int8Array([1, 0, -1]), 1, 3), 1, 3); // Int8Array [1, 0, -1]
 * ```
 */
export function unpackTernaryArray(words: Uint32Array, rows: number, cols: number): Int8Array {
  const wpr = wordsPerRow(cols);
  if (words.length !== rows * wpr) throw new ArgumentError(`unpackTernary: ${words.length} words for ${rows} x ${cols} (need ${rows * wpr})`);
  const out = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const code = ((words[r * wpr + (c >>> 4)]) >>> (2 * (c & 15))) & 3;
      if (code === 3) throw new ArgumentError(`unpackTernary: invalid code 3 at row ${r}, column ${c}`);
      out[r * cols + c] = code - 1;
    }
  }
  return out;
}
