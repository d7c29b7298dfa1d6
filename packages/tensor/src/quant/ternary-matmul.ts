// The CPU backend's ternary matmul entry: picks a kernel for the shapes.
// For now every case runs the reference kernel.
import type { TypedArray } from "../dtype.js";
import { ternaryMatmulReference } from "./ternary-reference.js";

/** Runs the best CPU kernel for these shapes; same contract as {@link ternaryMatmulReference}. */
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
  ternaryMatmulReference(x, xScale, w, wScale, M, N, K, groupSize, out);
}
