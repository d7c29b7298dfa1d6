// The plain reference ternary matmul: decode each code and multiply. Every
// fast kernel is tested to give exactly the same int32 sums as this one.
//
// Shapes: x [M, K] (int8 codes or float32), w packed [N, ceil(K/16)] words,
// xScale [M] (one divisor per row) or [M, G] (one per row and scale group, as
// llama.cpp's Q8_K activation blocks), wScale [N, G] with G = ceil(K / groupSize);
// out [M, N] float32.
import type { TypedArray } from "../dtype.js";
import { wordsPerRow } from "./packed-format.js";

/**
 * `out[m,n] = Σ_g wScale[n,g] · (Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m]`, or with
 * grouped activation scales (`xScale.length === M·G`, G > 1)
 * `out[m,n] = Σ_g wScale[n,g] · (Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m,g]`.
 * For int8 x the inner sums are exact integers.
 *
 * @example
 * ```ts
 * ternaryMatmulReference(x, xScale, words, wScale, 1, 1, 3, 3, out);
 * ```
 */
export function ternaryMatmulReference(
  x: TypedArray,
  xScale: TypedArray,
  w: Uint32Array,
  wScale: TypedArray,
  M: number,
  N: number,
  K: number,
  groupSize: number,
  out: Float32Array,
): void {
  const wpr = wordsPerRow(K);
  const G = Math.ceil(K / groupSize);
  const grouped = G > 1 && xScale.length === M * G;
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let y = 0;
      for (let g = 0; g < G; g++) {
        let acc = 0;
        const end = Math.min(K, (g + 1) * groupSize);
        for (let k = g * groupSize; k < end; k++) {
          const t = (((w[n * wpr + (k >>> 4)]) >>> (2 * (k & 15))) & 3) - 1;
          acc += t * x[m * K + k];
        }
        if (grouped) y += (wScale[n * G + g] * acc) / xScale[m * G + g];
        else y += wScale[n * G + g] * acc;
      }
      out[m * N + n] = grouped ? y : y / xScale[m];
    }
  }
}
