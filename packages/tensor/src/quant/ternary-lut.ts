// Lookup-table ternary matmul kernels (TL1-style, base-3, 4 weights per
// lookup). Per token, for every group of 4 activations a 81-entry table holds
// all signed sums Σ (c_j - 1)·x_j; a row's dot product is then one lookup per
// 4 weights, with no multiplies. For 4 tokens at once the 4 tables are
// interleaved entry-major, so one index load feeds 4 adjacent lookups.
//
// Shapes: x [M, K] row-major (int8 or float32), xScale [M], prepared weights
// [N, rowBytes] (see lut-prepare.ts), wScale [N, G], out [M, N] float32. The
// scale groups must be whole multiples of 16 columns (or one group per row)
// so that each uint32 of indices lies in one group. The plain twin is
// ternaryMatmulReference; int8 results are exactly equal to it.
import type { TypedArray } from "../dtype.js";
import { LUT_ENTRIES, type PreparedTernary } from "./lut-prepare.js";
import { scratchTable } from "./scratch.js";

/**
 * Builds the tables of one token: `table[g*81 + idx] = Σ_j (c_j - 1)·x[4g + j]`, zero-padded past K
 * (entry e of group g at `(g*81 + e)*stride + lane`).
 *
 * @example
 * ```ts
 * buildTable(x, 0, K, groups, table, 1, 0);
 * ```
 */
export function buildTable(x: TypedArray, xOff: number, K: number, groups: number, table: Int16Array | Float32Array, stride: number, lane: number): void {
  for (let g = 0; g < groups; g++) {
    const k = 4 * g;
    const x0 = k < K ? x[xOff + k] : 0;
    const x1 = k + 1 < K ? x[xOff + k + 1] : 0;
    const x2 = k + 2 < K ? x[xOff + k + 2] : 0;
    const x3 = k + 3 < K ? x[xOff + k + 3] : 0;
    let e = g * LUT_ENTRIES;
    for (let a = -1; a <= 1; a++) {
      const sa = a * x0;
      for (let b = -1; b <= 1; b++) {
        const sb = sa + b * x1;
        for (let c = -1; c <= 1; c++) {
          const sc = sb + c * x2;
          table[(e++) * stride + lane] = sc - x3;
          table[(e++) * stride + lane] = sc;
          table[(e++) * stride + lane] = sc + x3;
        }
      }
    }
  }
}

/** Tables hold int16 for int8 activations (|sum| <= 512) and float32 otherwise; the memory is reused across calls. */
function allocTables(isInt: boolean, size: number): Int16Array | Float32Array {
  return scratchTable(isInt, size);
}

/**
 * `out[m,n] = Σ_g wScale[n,g]·(Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m]` with LUT kernels:
 * 4 tokens at a time with interleaved tables while at least 4 remain, then one.
 *
 * @example
 * ```ts
 * ternaryMatmulLut(x, xScale, prepareBase3(words, N, K), wScale, M, N, K, K, out);
 * ```
 */
export function ternaryMatmulLut(
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
  const words = w.rowBytes / 4; // uint32 of 4 indices = 16 weights
  const groups = words * 4; // tables per token (padded)
  const G = Math.ceil(K / groupSize);
  const wordsPerGroup = G === 1 ? words : groupSize / 16;
  const codes = w.codes32;
  let m = 0;
  if (M >= 4) {
    const t4 = allocTables(isInt, groups * LUT_ENTRIES * 4);
    for (; m + 4 <= M; m += 4) {
      for (let lane = 0; lane < 4; lane++) buildTable(x, (m + lane) * K, K, groups, t4, 4, lane);
      // divide (not multiply by an inverse) to round exactly as the reference does
      const xs0 = xScale[m];
      const xs1 = xScale[m + 1];
      const xs2 = xScale[m + 2];
      const xs3 = xScale[m + 3];
      for (let n = 0; n < N; n++) {
        const rowBase = n * words;
        let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
        for (let g = 0; g < G; g++) {
          const wStart = g * wordsPerGroup;
          const wEnd = Math.min(words, wStart + wordsPerGroup);
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          let tb = wStart * 4 * LUT_ENTRIES * 4; // table offset of this word's first group
          for (let i = wStart; i < wEnd; i++) {
            const c = codes[rowBase + i];
            let p = tb + (c & 0xff) * 4;
            a0 += t4[p]; a1 += t4[p + 1]; a2 += t4[p + 2]; a3 += t4[p + 3];
            p = tb + (LUT_ENTRIES + ((c >>> 8) & 0xff)) * 4;
            a0 += t4[p]; a1 += t4[p + 1]; a2 += t4[p + 2]; a3 += t4[p + 3];
            p = tb + (2 * LUT_ENTRIES + ((c >>> 16) & 0xff)) * 4;
            a0 += t4[p]; a1 += t4[p + 1]; a2 += t4[p + 2]; a3 += t4[p + 3];
            p = tb + (3 * LUT_ENTRIES + (c >>> 24)) * 4;
            a0 += t4[p]; a1 += t4[p + 1]; a2 += t4[p + 2]; a3 += t4[p + 3];
            tb += 4 * LUT_ENTRIES * 4;
          }
          const s = wScale[n * G + g];
          y0 += s * a0; y1 += s * a1; y2 += s * a2; y3 += s * a3;
        }
        out[m * N + n] = y0 / xs0;
        out[(m + 1) * N + n] = y1 / xs1;
        out[(m + 2) * N + n] = y2 / xs2;
        out[(m + 3) * N + n] = y3 / xs3;
      }
    }
  }
  if (m < M) {
    const t1 = allocTables(isInt, groups * LUT_ENTRIES);
    for (; m < M; m++) {
      buildTable(x, m * K, K, groups, t1, 1, 0);
      const xs = xScale[m];
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
            acc += (t1[tb + (c & 0xff)]) +
              (t1[tb + LUT_ENTRIES + ((c >>> 8) & 0xff)]) +
              (t1[tb + 2 * LUT_ENTRIES + ((c >>> 16) & 0xff)]) +
              (t1[tb + 3 * LUT_ENTRIES + (c >>> 24)]);
            tb += 4 * LUT_ENTRIES;
          }
          y += wScale[n * G + g] * acc;
        }
        out[m * N + n] = y / xs;
      }
    }
  }
}
