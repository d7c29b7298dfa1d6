// The 5-weights-per-lookup kernel (lut5.ts) for scale groups: each group of
// columns (llama.cpp's Q8_K blocks of 256, or any weight-scale group) is
// packed on its own, padded with zero weights to a multiple of 20 (4 bytes,
// read as one uint32), so a group's sum is one run of lookups, scaled by its
// weight scale and divided by its activation divisor (one per row and group,
// or one per row). Rows 4 at a time, as lut5.ts. The plain twin is
// ternaryMatmulReference; int8 results equal it exactly.
//
// Shapes: x [M, K], xScale [M] or [M, G], prepared [N, G·groupBytes],
// wScale [N, G], out [M, N]; G = ceil(K / groupSize).
import type { TypedArray } from "../dtype.js";
import { wordsPerRow } from "./packed-format.js";
import { LUT5_ENTRIES, writeLut5Table } from "./lut5.js";
import { scratchTable } from "./scratch.js";

/** Base-3 indices, 5 weights per byte, each scale group padded to whole uint32s. */
export interface PreparedTernary5Grouped {
  readonly codes32: Uint32Array;
  readonly rows: number;
  readonly cols: number;
  readonly groupSize: number;
  /** Bytes per group: ceil(groupSize / 20) · 4. */
  readonly groupBytes: number;
}

/**
 * Converts 2-bit packed words `[N, ceil(K/16)]` into 5-per-byte base-3 indices, group by group.
 *
 * @example
 * ```ts
 * prepareBase3x5Grouped(words, N, 512, 256).groupBytes; // 52
 * ```
 */
export function prepareBase3x5Grouped(words: Uint32Array, rows: number, cols: number, groupSize: number): PreparedTernary5Grouped {
  const wpr = wordsPerRow(cols);
  const G = Math.ceil(cols / groupSize);
  const groupBytes = Math.ceil(groupSize / 20) * 4;
  const rowBytes = G * groupBytes;
  const bytes = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < G; g++) {
      const k0 = g * groupSize;
      const k1 = Math.min(cols, k0 + groupSize);
      for (let b = 0; b < groupBytes; b++) {
        let idx = 0;
        for (let j = 0; j < 5; j++) {
          const k = k0 + 5 * b + j;
          const code = k < k1 ? ((words[r * wpr + (k >>> 4)]) >>> (2 * (k & 15))) & 3 : 1;
          idx = idx * 3 + code;
        }
        bytes[r * rowBytes + g * groupBytes + b] = idx;
      }
    }
  }
  return { codes32: new Uint32Array(bytes.buffer), rows, cols, groupSize, groupBytes };
}

/**
 * `out[m,n] = Σ_g wScale[n,g]·(Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m,g]` (grouped
 * divisors), or `(Σ_g wScale[n,g]·Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m]` (one per row).
 *
 * @example
 * ```ts
 * ternaryMatmulLut5Grouped(q, iscales, prepareBase3x5Grouped(words, N, K, 256), wScale, M, N, K, out);
 * ```
 */
export function ternaryMatmulLut5Grouped(x: TypedArray, xScale: TypedArray, w: PreparedTernary5Grouped, wScale: TypedArray, M: number, N: number, K: number, out: Float32Array): void {
  const isInt = x instanceof Int8Array || x instanceof Int32Array || x instanceof Uint8Array;
  const gs = w.groupSize;
  const G = Math.ceil(K / gs);
  const gw = w.groupBytes / 4; // uint32 per group
  const words = G * gw;
  const tablesPerGroup = gw * 4;
  const table = scratchTable(isInt, G * tablesPerGroup * LUT5_ENTRIES);
  const grouped = G > 1 && xScale.length === M * G;
  const codes = w.codes32;
  for (let m = 0; m < M; m++) {
    // table[(g·tablesPerGroup + t)·243 + idx] = Σ_j (c_j - 1)·x[g·gs + 5t + j], zero past the group
    const xo = m * K;
    let e = 0;
    for (let g = 0; g < G; g++) {
      const k0 = g * gs;
      const k1 = Math.min(K, k0 + gs);
      for (let t = 0; t < tablesPerGroup; t++) {
        const k = k0 + 5 * t;
        const x0 = k < k1 ? x[xo + k] : 0;
        const x1 = k + 1 < k1 ? x[xo + k + 1] : 0;
        const x2 = k + 2 < k1 ? x[xo + k + 2] : 0;
        const x3 = k + 3 < k1 ? x[xo + k + 3] : 0;
        const x4 = k + 4 < k1 ? x[xo + k + 4] : 0;
        e = writeLut5Table(table, e, x0, x1, x2, x3, x4);
      }
    }
    const xsRow = xScale[m];
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const r0 = n * words;
      const r1 = r0 + words;
      const r2 = r1 + words;
      const r3 = r2 + words;
      let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
      for (let g = 0; g < G; g++) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        let tb = g * tablesPerGroup * LUT5_ENTRIES;
        const i1 = (g + 1) * gw;
        for (let i = g * gw; i < i1; i++) {
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
        // the reference's operation order: exact equality
        if (grouped) {
          const xs = xScale[m * G + g];
          y0 += (wScale[n * G + g] * a0) / xs;
          y1 += ((wScale[(n + 1) * G + g]) * a1) / xs;
          y2 += ((wScale[(n + 2) * G + g]) * a2) / xs;
          y3 += ((wScale[(n + 3) * G + g]) * a3) / xs;
        } else {
          y0 += wScale[n * G + g] * a0;
          y1 += (wScale[(n + 1) * G + g]) * a1;
          y2 += (wScale[(n + 2) * G + g]) * a2;
          y3 += (wScale[(n + 3) * G + g]) * a3;
        }
      }
      out[m * N + n] = grouped ? y0 : y0 / xsRow;
      out[m * N + n + 1] = grouped ? y1 : y1 / xsRow;
      out[m * N + n + 2] = grouped ? y2 : y2 / xsRow;
      out[m * N + n + 3] = grouped ? y3 : y3 / xsRow;
    }
    for (; n < N; n++) {
      const r0 = n * words;
      let y = 0;
      for (let g = 0; g < G; g++) {
        let acc = 0;
        let tb = g * tablesPerGroup * LUT5_ENTRIES;
        const i1 = (g + 1) * gw;
        for (let i = g * gw; i < i1; i++) {
          const c = codes[r0 + i];
          acc += (table[tb + (c & 0xff)]) + (table[tb + 243 + ((c >>> 8) & 0xff)]) + (table[tb + 486 + ((c >>> 16) & 0xff)]) + (table[tb + 729 + (c >>> 24)]);
          tb += 4 * LUT5_ENTRIES;
        }
        if (grouped) y += (wScale[n * G + g] * acc) / xScale[m * G + g];
        else y += wScale[n * G + g] * acc;
      }
      out[m * N + n] = grouped ? y : y / xsRow;
    }
  }
}
