// The lookup-table ternary kernel with one activation divisor per row and
// scale group (llama.cpp's Q8_K blocks of 256: each block's int8 codes come
// with their own scale). One token at a time, 4 weights per lookup (the
// tables of ternary-lut.ts); each group's sum is scaled and divided on its own.
// The CPU dispatcher now prefers the 5-weights form (lut5-grouped.ts); this
// one stays as a tested alternative (its prepared form is shared with the
// batched 4-weights kernel).
// The plain twin is ternaryMatmulReference (grouped form); int8 results equal it.
//
// Shapes: x [M, K] (int8 or float32), xScale [M, G], prepared [N, rowBytes],
// wScale [N, G], out [M, N]; groupSize a multiple of 16.
import type { TypedArray } from "../dtype.js";
import { LUT_ENTRIES, type PreparedTernary } from "./lut-prepare.js";
import { scratchTable } from "./scratch.js";
import { buildTable } from "./ternary-lut.js";

/**
 * `out[m,n] = Σ_g wScale[n,g]·(Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m,g]`.
 *
 * @example
 * ```ts
 * ternaryMatmulLutGrouped(q, iscales, prepareBase3(words, N, K), wScale, M, N, K, 256, out);
 * ```
 */
export function ternaryMatmulLutGrouped(
  x: TypedArray,
  xScale: TypedArray,
  w: PreparedTernary,
  wScale: TypedArray,
  M: number,
  N: number,
  K: number,
  groupSize: number,
  out: Float32Array,
): void {
  const isInt = x instanceof Int8Array || x instanceof Int32Array || x instanceof Uint8Array;
  const words = w.rowBytes / 4;
  const groups = words * 4;
  const G = Math.ceil(K / groupSize);
  const wordsPerGroup = groupSize / 16;
  const codes = w.codes32;
  const table = scratchTable(isInt, groups * LUT_ENTRIES);
  for (let m = 0; m < M; m++) {
    buildTable(x, m * K, K, groups, table, 1, 0);
    for (let n = 0; n < N; n++) {
      const rowBase = n * words;
      let y = 0;
      for (let g = 0; g < G; g++) {
        const wStart = g * wordsPerGroup;
        const wEnd = Math.min(words, wStart + wordsPerGroup);
        let acc = 0;
        let tb = wStart * 4 * LUT_ENTRIES;
        for (let i = wStart; i < wEnd; i++) {
          const c = codes[rowBase + i];
          acc += (table[tb + (c & 0xff)]) +
            (table[tb + LUT_ENTRIES + ((c >>> 8) & 0xff)]) +
            (table[tb + 2 * LUT_ENTRIES + ((c >>> 16) & 0xff)]) +
            (table[tb + 3 * LUT_ENTRIES + (c >>> 24)]);
          tb += 4 * LUT_ENTRIES;
        }
        // the reference's operation order (scale times sum, then divide): exact equality
        y += (wScale[n * G + g] * acc) / xScale[m * G + g];
      }
      out[m * N + n] = y;
    }
  }
}
