// The CPU backend's ternary matmul entry: the LUT kernels when the scale
// groups line up with their 16-column words, the reference kernel otherwise.
// Prepared (base-3) weights are cached per packed-words array.
import type { TypedArray } from "../dtype.js";
import { type PreparedTernary, prepareBase3 } from "./lut-prepare.js";
import { ternaryMatmulLut } from "./ternary-lut.js";
import { ternaryMatmulReference } from "./ternary-reference.js";

const prepared = new WeakMap<Uint32Array, PreparedTernary>();

/**
 * Runs the best CPU kernel for these shapes; same contract as {@link ternaryMatmulReference}.
 * The base-3 form of `w` is computed once per words array and cached (weights are immutable).
 *
 * @example
 * ```ts
 * ternaryMatmulCpu(xCodes, xScale, words, wScale, M, N, K, K, out);
 * ```
 */
export function ternaryMatmulCpu(
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
  const lutOk = groupSize >= K || groupSize % 16 === 0;
  if (!lutOk) {
    ternaryMatmulReference(x, xScale, w, wScale, M, N, K, groupSize, out);
    return;
  }
  let p = prepared.get(w);
  if (p === undefined || p.rows !== N || p.cols !== K) {
    p = prepareBase3(w, N, K);
    prepared.set(w, p);
  }
  ternaryMatmulLut(x, xScale, p, wScale, M, N, K, groupSize, out);
}
