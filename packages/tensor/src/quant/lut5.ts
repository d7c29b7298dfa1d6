// A denser lookup-table kernel for one token at a time (batch-1 decoding):
// 5 weights per base-3 byte (idx = Σ c_j·3^(4-j), 243 codes, as TQ1_0 packs
// them), one 243-entry table per 5 activations, so a row costs K/5 lookups
// instead of K/4. Used when each row has a single weight scale (per-tensor or
// per-row). Rows are padded with zero weights to a multiple of 20 (4 bytes,
// read as one uint32). The plain twin is ternaryMatmulReference.
//
// Shapes: x [M, K], xScale [M], prepared [N, rowBytes], wScale [N, 1], out [M, N].
import type { TypedArray } from "../dtype.js";
import { wordsPerRow } from "./packed-format.js";
import { scratchTable } from "./scratch.js";

/** Table entries per group of 5 activations (3^5). */
export const LUT5_ENTRIES = 243;

/** Base-3 indices, 5 weights per byte. */
export interface PreparedTernary5 {
  readonly codes32: Uint32Array;
  readonly rows: number;
  readonly cols: number;
  /** Bytes per row: ceil(K / 20) * 4. */
  readonly rowBytes: number;
}

/**
 * Converts 2-bit packed words `[N, ceil(K/16)]` into 5-per-byte base-3 indices.
 *
 * @example
 * ```ts
 * prepareBase3x5(packTernaryArray([1, 0, -1, 1, 0], 1, 5), 1, 5).codes32[0] & 0xff; // 2·81 + 1·27 + 0·9 + 2·3 + 1 = 196
 * ```
 */
export function prepareBase3x5(words: Uint32Array, rows: number, cols: number): PreparedTernary5 {
  const wpr = wordsPerRow(cols);
  const rowBytes = Math.ceil(cols / 20) * 4;
  const bytes = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < rowBytes; b++) {
      let idx = 0;
      for (let j = 0; j < 5; j++) {
        const k = 5 * b + j;
        const code = k < cols ? ((words[r * wpr + (k >>> 4)]) >>> (2 * (k & 15))) & 3 : 1;
        idx = idx * 3 + code;
      }
      bytes[r * rowBytes + b] = idx;
    }
  }
  return { codes32: new Uint32Array(bytes.buffer), rows, cols, rowBytes };
}

/**
 * Writes the 243 sums `Σ_j (c_j - 1)·x_j` of five activations, for every
 * base-3 code `c` of five weights (the first weight most significant), at
 * `table[at ..]`; returns the index after them. The one table both
 * 5-weights-per-lookup kernels (this file's and lut5-grouped.ts) read.
 *
 * @example
 * ```ts
 * const t = new Int16Array(243);
 * writeLut5Table(t, 0, 1, 2, 3, 4, 5); // 243; t[242] = 15 (all +1), t[0] = -15
 * ```
 */
export function writeLut5Table(table: Int16Array | Float32Array, at: number, x0: number, x1: number, x2: number, x3: number, x4: number): number {
  let e = at;
  for (let a = -1; a <= 1; a++) {
    const sa = a * x0;
    for (let b = -1; b <= 1; b++) {
      const sb = sa + b * x1;
      for (let c = -1; c <= 1; c++) {
        const sc = sb + c * x2;
        for (let d = -1; d <= 1; d++) {
          const sd = sc + d * x3;
          table[e++] = sd - x4;
          table[e++] = sd;
          table[e++] = sd + x4;
        }
      }
    }
  }
  return e;
}

/**
 * `out[m,n] = wScale[n]·(Σ_k t[n,k]·x[m,k]) / xScale[m]`, one token at a time.
 *
 * @example
 * ```ts
 * ternaryMatmulLut5(x, xScale, prepareBase3x5(words, N, K), wScale, M, N, K, out);
 * ```
 */
export function ternaryMatmulLut5(x: TypedArray, xScale: TypedArray, w: PreparedTernary5, wScale: TypedArray, M: number, N: number, K: number, out: Float32Array): void {
  const isInt = x instanceof Int8Array || x instanceof Int32Array || x instanceof Uint8Array;
  const words = w.rowBytes / 4;
  const groups = words * 4;
  const table = scratchTable(isInt, groups * LUT5_ENTRIES);
  const codes = w.codes32;
  for (let m = 0; m < M; m++) {
    // table[g*243 + idx] = Σ_j (c_j - 1)·x[5g + j], built by extending one activation at a time
    const xo = m * K;
    for (let g = 0; g < groups; g++) {
      const base = g * LUT5_ENTRIES;
      const k = 5 * g;
      const x0 = k < K ? x[xo + k] : 0;
      const x1 = k + 1 < K ? x[xo + k + 1] : 0;
      const x2 = k + 2 < K ? x[xo + k + 2] : 0;
      const x3 = k + 3 < K ? x[xo + k + 3] : 0;
      const x4 = k + 4 < K ? x[xo + k + 4] : 0;
      writeLut5Table(table, base, x0, x1, x2, x3, x4);
    }
    const xs = xScale[m];
    // 4 rows at a time: their lookups fall in the same 4-group stretch of the
    // table, which then stays in L1 (the whole table is too big for it)
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const r0 = n * words;
      const r1 = r0 + words;
      const r2 = r1 + words;
      const r3 = r2 + words;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let tb = 0;
      for (let i = 0; i < words; i++) {
        let c = codes[r0 + i];
        a0 += (table[tb + (c & 0xff)]) + (table[tb + 243 + ((c >>> 8) & 0xff)]) + (table[tb + 486 + ((c >>> 16) & 0xff)]) + (table[tb + 729 + (c >>> 24)]);
        c = codes[r1 + i];
        a1 += (table[tb + (c & 0xff)]) + (table[tb + 243 + ((c >>> 8) & 0xff)]) + (table[tb + 486 + ((c >>> 16) & 0xff)]) + (table[tb + 729 + (c >>> 24)]);
        c = codes[r2 + i];
        a2 += (table[tb + (c & 0xff)]) + (table[tb + 243 + ((c >>> 8) & 0xff)]) + (table[tb + 486 + ((c >>> 16) & 0xff)]) + (table[tb + 729 + (c >>> 24)]);
        c = codes[r3 + i];
        a3 += (table[tb + (c & 0xff)]) + (table[tb + 243 + ((c >>> 8) & 0xff)]) + (table[tb + 486 + ((c >>> 16) & 0xff)]) + (table[tb + 729 + (c >>> 24)]);
        tb += 4 * LUT5_ENTRIES;
      }
      // the reference's operation order (scale times sum, then divide): exact equality
      out[m * N + n] = (wScale[n] * a0) / xs;
      out[m * N + n + 1] = (wScale[n + 1] * a1) / xs;
      out[m * N + n + 2] = (wScale[n + 2] * a2) / xs;
      out[m * N + n + 3] = (wScale[n + 3] * a3) / xs;
    }
    for (; n < N; n++) {
      const rowBase = n * words;
      let acc = 0;
      let tb = 0;
      for (let i = 0; i < words; i++) {
        const c = codes[rowBase + i];
        acc += (table[tb + (c & 0xff)]) +
          (table[tb + LUT5_ENTRIES + ((c >>> 8) & 0xff)]) +
          (table[tb + 2 * LUT5_ENTRIES + ((c >>> 16) & 0xff)]) +
          (table[tb + 3 * LUT5_ENTRIES + (c >>> 24)]);
        tb += 4 * LUT5_ENTRIES;
      }
      out[m * N + n] = (wScale[n] * acc) / xs;
    }
  }
}
