// The guided tour's numbers: one BitLinear forward and backward on a 2x4
// input and a 3x4 weight, taken apart step by step with the library's own
// functions (absMeanTernary, absMaxInt8, the packed ternary kernel, BitLinear
// and its straight-through estimators). Nothing here is written by hand.
import { param } from "@bitnet-quantize/autograd";
import { BitLinear, absMaxInt8, absMeanTernary, dequantizeInt8, dequantizeTernary, packTernary } from "@bitnet-quantize/bitnet";
import { type Tensor, matmul, tensor } from "@bitnet-quantize/tensor";
import { ternaryMatmul } from "@bitnet-quantize/tensor/quant";

/** A matrix as nested rows. */
export type Matrix = number[][];

/** Every number the tour shows. */
export interface TourData {
  /** Input activations x `[2, 4]` (two tokens). */
  readonly x: Matrix;
  /** Latent float weight W `[3, 4]`. */
  readonly w: Matrix;
  /** Step 1: AbsMean scale s = mean |W| (per tensor). */
  readonly wScale: number;
  /** Step 2: ternary codes t = clamp(round(W / s), -1, 1). */
  readonly wCodes: Matrix;
  /** Step 3: per-token AbsMax scale 127 / max |x_row|. */
  readonly xScales: number[];
  /** Step 3: int8 codes q = clamp(round(x · scale), -128, 127). */
  readonly xCodes: Matrix;
  /** Step 4: the integer product q · tᵀ (exact int32 sums). */
  readonly acc: Matrix;
  /** Step 5: the rescale acc · s / scale_x. */
  readonly y: Matrix;
  /** The same output from BitLinear.forward (fake quantization through the STEs). */
  readonly yBitLinear: Matrix;
  /** The same output from the packed 2-bit kernel (ternaryMatmul on packTernary(t)). */
  readonly yPacked: Matrix;
  /** Step 6: the upstream gradient dL/dy used for the backward (`[2, 3]`). */
  readonly upstream: Matrix;
  /** dL/dW computed by autograd through BitLinear. */
  readonly gradW: Matrix;
  /** dL/dW by the straight-through rule: upstreamᵀ · x̂ (x̂ the dequantized int8 input). */
  readonly gradWSte: Matrix;
  /** dL/dx computed by autograd. */
  readonly gradX: Matrix;
  /** dL/dx by the straight-through rule: upstream · Ŵ (Ŵ = s·t). */
  readonly gradXSte: Matrix;
}

const rows = (t: Tensor): Matrix => t.toArray() as Matrix;

/**
 * Runs the step-by-step BitLinear on `x` `[M, K]` and `w` `[N, K]` (defaults: the tour's numbers).
 *
 * @example
 * ```ts
 * const d = tourData();
 * d.wCodes[0]; // [1, -1, 0, 1]
 * ```
 */
export function tourData(
  x: Matrix = [
    [0.9, -0.4, 0.05, 1.6],
    [-0.3, 0.7, -1.2, 0.2],
  ],
  w: Matrix = [
    [0.42, -0.35, 0.03, 0.28],
    [-0.05, 0.61, -0.22, -0.4],
    [0.19, 0.02, 0.5, -0.12],
  ],
): TourData {
  const xt = tensor(x);
  const wt = tensor(w);
  const K = w[0].length;
  const qw = absMeanTernary(wt);
  const qx = absMaxInt8(xt);
  const acc = matmul(qx.codes.cast("float32"), qw.codes.cast("float32").transpose());
  const wScale = qw.scales.dataSync()[0];
  const xScales = Array.from(qx.scales.dataSync());
  const y = acc.mul(wScale).div(qx.scales);
  const yPacked = ternaryMatmul(qx.codes, packTernary(qw.codes), qx.scales.reshape([x.length]), tensor([[wScale], [wScale], [wScale]].slice(0, w.length)), K);
  // Forward and backward through BitLinear itself.
  const layer = BitLinear.fromWeight(wt, null);
  const xv = param(xt);
  const out = layer.forward(xv);
  const upstream = tensor(x.map((_, i) => w.map((__, j) => (i === j ? 1 : i + j === 2 ? -1 : 0.5))));
  out.mul(upstream).sum().backward();
  const xHat = dequantizeInt8(qx);
  const wHat = dequantizeTernary(qw);
  return {
    x,
    w,
    wScale,
    wCodes: rows(qw.codes),
    xScales,
    xCodes: rows(qx.codes),
    acc: rows(acc),
    y: rows(y),
    yBitLinear: rows(out.value),
    yPacked: rows(yPacked),
    upstream: rows(upstream),
    gradW: rows(layer.weight.grad as Tensor),
    gradWSte: rows(matmul(upstream.transpose(), xHat)),
    gradX: rows(xv.grad as Tensor),
    gradXSte: rows(matmul(upstream, wHat)),
  };
}

/**
 * The largest absolute difference between two matrices of one shape.
 *
 * @example
 * ```ts
 * maxDiff([[1, 2]], [[1, 2.5]]); // 0.5
 * ```
 */
export function maxDiff(a: Matrix, b: Matrix): number {
  let m = 0;
  a.forEach((r, i) => r.forEach((v, j) => (m = Math.max(m, Math.abs(v - (b[i][j]))))));
  return m;
}
