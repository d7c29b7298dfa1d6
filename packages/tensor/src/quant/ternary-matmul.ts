// The CPU backend's ternary matmul entry: for fewer than 4 tokens with one
// scale per row, the 5-weights-per-lookup kernel; with one activation divisor
// per row and group (Q8_K blocks) and for fewer than 4 tokens with scale
// groups, the grouped 5-weights kernel; otherwise the 4-weights kernel (4
// tokens at a time) when the scale groups line up with its 16-column words;
// the reference kernel for anything else (ternaryMatmulCpuJs). In front of
// them, ternaryMatmulCpu runs the WebAssembly SIMD kernel (int8 activations,
// scale groups of whole 64-column blocks, per-row or per-row-and-group
// activation divisors) where the engine has it. Prepared (base-3 or wasm)
// weights are cached per packed-words array (weights are immutable).
import type { TypedArray } from "../dtype.js";
import { type PreparedTernary, prepareBase3 } from "./lut-prepare.js";
import { ternaryMatmulLut } from "./ternary-lut.js";
import { type PreparedTernary5, prepareBase3x5, ternaryMatmulLut5 } from "./lut5.js";
import { ternaryMatmulReference } from "./ternary-reference.js";
import { type PreparedTernary5Grouped, prepareBase3x5Grouped, ternaryMatmulLut5Grouped } from "./lut5-grouped.js";
import { ternaryMatmulManyWasm, ternaryMatmulWasm } from "../wasm/ternary-wasm.js";

/**
 * The signature of a CPU ternary kernel (see {@link ternaryMatmulReference}):
 * `out[M, N]` from activations `x [M, K]`, divisors `xScale` (`[M]` or
 * `[M, G]`), packed words `w [N, ceil(K/16)]`, scales `wScale [N, G]`.
 *
 * @example
 * ```ts
 * const k: TernaryKernel = ternaryMatmulCpu;
 * ```
 */
export type TernaryKernel = (
  x: TypedArray, xScale: TypedArray, w: Uint32Array, wScale: TypedArray, M: number, N: number, K: number, groupSize: number, out: Float32Array,
) => void;

/**
 * One product of a {@link TernaryManyKernel}: packed words `w [N, ceil(K/16)]`,
 * scales `wScale [N, G]`, and where its `out [M, N]` goes.
 *
 * @example
 * ```ts
 * const q: TernaryProduct = { w: packTernaryArray([1, -1, 0], 1, 3), wScale: new Float32Array([0.5]), N: 1, out: new Float32Array(1) };
 * ```
 */
export interface TernaryProduct {
  readonly w: Uint32Array;
  readonly wScale: TypedArray;
  readonly N: number;
  readonly out: Float32Array;
}

/**
 * The signature of a CPU kernel for several ternary products of one
 * activation (q, k and v; gate and up): each product's `out` as a
 * {@link TernaryKernel} would compute it from `x`, `xScale` and its own
 * weights; all weights have the same K and scale groups.
 *
 * @example
 * ```ts
 * const k: TernaryManyKernel = ternaryMatmulManyCpu;
 * ```
 */
export type TernaryManyKernel = (
  x: TypedArray, xScale: TypedArray, products: readonly TernaryProduct[], M: number, K: number, groupSize: number,
) => void;

/**
 * A {@link TernaryManyKernel} that runs `kernel` once per product.
 *
 * @example
 * ```ts
 * const many = eachProduct(ternaryMatmulReference);
 * const out = new Float32Array(1);
 * many(new Int8Array([2, 3, 4]), new Float32Array([1]), [{ w: packTernaryArray([1, -1, 0], 1, 3), wScale: new Float32Array([0.5]), N: 1, out }], 1, 3, 3);
 * out[0]; // -0.5
 * ```
 */
export function eachProduct(kernel: TernaryKernel): TernaryManyKernel {
  return (x, xScale, products, M, K, groupSize) => {
    for (const { w, wScale, N, out } of products) kernel(x, xScale, w, wScale, M, N, K, groupSize, out);
  };
}

const prepared = new WeakMap<Uint32Array, PreparedTernary>();
const prepared5 = new WeakMap<Uint32Array, PreparedTernary5>();
const prepared5g = new WeakMap<Uint32Array, PreparedTernary5Grouped>();

function preparedFor(w: Uint32Array, N: number, K: number): PreparedTernary {
  let p = prepared.get(w);
  if (p === undefined || p.rows !== N || p.cols !== K) {
    p = prepareBase3(w, N, K);
    prepared.set(w, p);
  }
  return p;
}

/**
 * Runs the best CPU kernel for these shapes: the WebAssembly SIMD kernel
 * where it applies (see `ternaryWasmApplies`), else {@link ternaryMatmulCpuJs};
 * same contract as {@link ternaryMatmulReference} (`xScale` of M values, or
 * of M·G for one divisor per row and scale group), and bit-identical to it
 * for int8 activations. This is also what every thread of the ternary pool
 * runs (each worker instantiates its own wasm module and memory).
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
  if (ternaryMatmulWasm(x, xScale, w, wScale, M, N, K, groupSize, out)) return;
  ternaryMatmulCpuJs(x, xScale, w, wScale, M, N, K, groupSize, out);
}

/**
 * {@link ternaryMatmulCpu} for several products of one activation: the
 * WebAssembly kernel with the activations laid out once, where it applies;
 * else {@link ternaryMatmulCpuJs} per product. Each output is bit-identical
 * to that product's own `ternaryMatmulCpu`.
 *
 * @example
 * ```ts
 * const [a, b] = [new Float32Array(1), new Float32Array(2)];
 * const w = (ts: number[], n: number) => ({ w: packTernaryArray(ts, n, 3), wScale: new Float32Array(n).fill(0.5), N: n });
 * ternaryMatmulManyCpu(new Int8Array([2, 3, 4]), new Float32Array([1]), [{ ...w([1, -1, 0], 1), out: a }, { ...w([0, 1, 1, 1, 1, 1], 2), out: b }], 1, 3, 3);
 * Array.from(b); // [3.5, 4.5]
 * ```
 */
export function ternaryMatmulManyCpu(x: TypedArray, xScale: TypedArray, products: readonly TernaryProduct[], M: number, K: number, groupSize: number): void {
  if (ternaryMatmulManyWasm(x, xScale, products, M, K, groupSize)) return;
  eachProduct(ternaryMatmulCpuJs)(x, xScale, products, M, K, groupSize);
}

/**
 * The JavaScript kernels only (the `simd: false` path, and the twin the
 * WebAssembly kernel is tested against): the best lookup-table kernel for
 * these shapes; same contract as {@link ternaryMatmulReference}.
 * The base-3 form of `w` is computed once per words array and cached (weights are immutable).
 *
 * @example
 * ```ts
 * ternaryMatmulCpuJs(xCodes, xScale, words, wScale, M, N, K, K, out);
 * ```
 */
export function ternaryMatmulCpuJs(
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
  const G = Math.ceil(K / groupSize);
  if (G > 1 && (xScale.length === M * G || M < 4)) {
    let p = prepared5g.get(w);
    if (p === undefined || p.rows !== N || p.cols !== K || p.groupSize !== groupSize) {
      p = prepareBase3x5Grouped(w, N, K, groupSize);
      prepared5g.set(w, p);
    }
    ternaryMatmulLut5Grouped(x, xScale, p, wScale, M, N, K, out);
    return;
  }
  if (M < 4 && groupSize >= K) {
    let p5 = prepared5.get(w);
    if (p5 === undefined || p5.rows !== N || p5.cols !== K) {
      p5 = prepareBase3x5(w, N, K);
      prepared5.set(w, p5);
    }
    ternaryMatmulLut5(x, xScale, p5, wScale, M, N, K, out);
    return;
  }
  const lutOk = groupSize >= K || groupSize % 16 === 0;
  if (!lutOk) {
    ternaryMatmulReference(x, xScale, w, wScale, M, N, K, groupSize, out);
    return;
  }
  ternaryMatmulLut(x, xScale, preparedFor(w, N, K), wScale, M, N, K, groupSize, out);
}
