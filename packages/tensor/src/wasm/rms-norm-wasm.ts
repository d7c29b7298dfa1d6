// RMSNorm of float32 host rows in ggml's steps: each square rounded to
// float32 and summed in float64 in order, mean = f32(Σ / C),
// scale = f32(1 / f32(√f32(mean + f32(eps)))), y = f32(x · scale), then
// f32(y · weight). Written as a plain loop (the reference twin, and what
// runs without SIMD, for other weight arrays, or C not a multiple of 4) and
// as a WebAssembly kernel (rms-norm-kernel.ts); the bits are the same.
//
// Measured on this machine with `npm run bench -- wasm` (Node 20, one thread,
// side by side, medians): a decode step's norms of the large model (24 x (3
// rows of 1536 + 1 of 4096)) 0.306 ms against 0.664 ms for the loops
// (2.17x). The float64 sum is one dependency chain (its order is the
// contract), so the kernel gains mostly on the scaling pass.
import { ArgumentError } from "../errors.js";
import { scratchKernels } from "./scratch-block.js";

const f32 = Math.fround;

function check(fn: string, x: Float32Array, C: number, weight: ArrayLike<number> | undefined, out: Float32Array): void {
  if (!Number.isInteger(C) || C <= 0 || x.length % C !== 0) throw new ArgumentError(`${fn}: ${x.length} values are not rows of ${C}`);
  if (out.length !== x.length) throw new ArgumentError(`${fn}: out has ${out.length} values, x has ${x.length}`);
  if (weight !== undefined && weight.length !== C) throw new ArgumentError(`${fn}: weight has ${weight.length} values, rows have ${C}`);
}

/**
 * RMSNorm of the rows of `C` float32 values in `x` into `out` (which may be
 * `x`), times `weight` when given; returns `out`. A WebAssembly kernel where
 * SIMD validates, `C` is a multiple of 4 and `weight` (if any) is a
 * `Float32Array`, else {@link rmsNormRowsF32Reference}; the same bits.
 *
 * @example
 * ```ts
 * rmsNormRowsF32(new Float32Array([3, 4]), 2, 0, undefined, new Float32Array(2)); // [0.8485, 1.1314]
 * ```
 */
export function rmsNormRowsF32(x: Float32Array, C: number, eps: number, weight: ArrayLike<number> | undefined, out: Float32Array): Float32Array {
  check("rmsNormRowsF32", x, C, weight, out);
  const n = x.length;
  const fits = C % 4 === 0 && n > 0 && (weight === undefined || weight instanceof Float32Array);
  const w = scratchKernels(fits, (n + C) * 4);
  if (w === undefined) return rmsNormRowsF32Reference(x, C, eps, weight, out);
  const { kernels, at } = w;
  const mem = new Float32Array(kernels.arena.memory.buffer, at, n + C);
  mem.set(x);
  if (weight !== undefined) mem.set(weight, n);
  kernels.rmsNorm(at, C, n / C, at + n * 4, at, f32(eps), weight === undefined ? 0 : 1);
  out.set(mem.subarray(0, n));
  return out;
}

/**
 * The reference twin of {@link rmsNormRowsF32}: plain loops.
 *
 * @example
 * ```ts
 * rmsNormRowsF32Reference(new Float32Array([3, 4]), 2, 0, [1, 2], new Float32Array(2)); // [0.8485, 2.2627]
 * ```
 */
export function rmsNormRowsF32Reference(x: Float32Array, C: number, eps: number, weight: ArrayLike<number> | undefined, out: Float32Array): Float32Array {
  check("rmsNormRowsF32Reference", x, C, weight, out);
  const epsF = f32(eps);
  for (let o = 0; o < x.length; o += C) {
    let sum = 0;
    for (let i = o; i < o + C; i++) sum += f32(x[i] * x[i]);
    const scale = f32(1 / f32(Math.sqrt(f32(f32(sum / C) + epsF))));
    if (weight === undefined) for (let i = 0; i < C; i++) out[o + i] = x[o + i] * scale;
    else for (let i = 0; i < C; i++) out[o + i] = f32(x[o + i] * scale) * weight[i];
  }
  return out;
}
