// The driver of the WebAssembly ternary kernel (ternary-kernel.ts) and its
// rescale step (ternary-rescale-kernel.ts). A product is a "job": the packed
// words and their scales resident in wasm memory (the words as they are,
// either adopted there as the CPU backend's own storage or copied once per
// array; the scales as float64, once per weights and scale array), and per call the
// activations in the kernel's layout (laid out by the `ternary_prep` kernel,
// ternary-prep-kernel.ts; ternaryPrepReference is its plain twin), the per-group corrections, int32 sums
// and float32 outputs. `runTernaryRows` runs any range of output rows of a
// job, so threads sharing the memory split one job between them; results
// are bit-identical to ternaryMatmulReference for int8 activations.
//
// Shapes: x [M, K] int8, xScale [M] or [M, G] (one divisor per row and scale
// group, llama.cpp's Q8_K activation blocks), w packed [N, ceil(K/16)] words,
// wScale [N, G] with G = ceil(K / groupSize), out [M, N] float32. Scale groups
// must be whole 64-column blocks (groupSize % 64 === 0) or one group per row.
// Words and scales are assumed immutable once used (as every CPU kernel's
// prepared-weights cache does).
import type { TypedArray } from "../dtype.js";
import { wordsPerRow } from "../quant/packed-format.js";
import type { TernaryProduct } from "../quant/ternary-matmul.js";
import { TAIL_BYTES, newResident, residentOffset } from "./resident.js";
import { scratchBlock } from "./scratch-block.js";
import { TERNARY_BLOCK } from "./ternary-kernel.js";
import { type KernelFunctions, type WasmKernels, wasmKernels } from "./wasm-kernels.js";

/** A copy of an array in wasm memory. */
interface Copy {
  readonly ptr: number;
  readonly length: number;
}

const wordCopies = new WeakMap<Uint32Array, Copy>();
/** The float64 copy of the scales last used with a words array (one per weights: a fresh scale array each call is copied each call, never hoarded). */
const scaleCopies = new WeakMap<Uint32Array, Copy & { readonly scale: TypedArray }>();
let registry: FinalizationRegistry<number> | undefined;

function release(kernels: WasmKernels): FinalizationRegistry<number> {
  registry ??= new FinalizationRegistry<number>((p) => kernels.arena.release(p));
  return registry;
}

/**
 * A copy of `words` in this realm's shared wasm memory, as a view the CPU
 * backend keeps as the weights' storage (so the kernel reads them in place
 * and no second copy stays resident); undefined where the memory is not
 * shared (views of it would detach) or cannot grow. The block is released
 * when the view is garbage collected.
 *
 * @example
 * ```ts
 * const resident = adoptWords(words) ?? words; // same values, now in wasm memory
 * ```
 */
export function adoptWords(words: Uint32Array): Uint32Array | undefined {
  if (residentOffset(words) !== undefined) return words;
  const view = newResident(Uint32Array, words.length);
  view?.set(words);
  return view;
}

/**
 * A zeroed array of `length` words in this realm's shared wasm memory (see
 * {@link adoptWords}: the kernel reads it in place), or undefined where the
 * memory is not shared or cannot grow.
 *
 * @example
 * ```ts
 * const words = residentWords(N * wordsPerRow(K)) ?? new Uint32Array(N * wordsPerRow(K));
 * ```
 */
export function residentWords(length: number): Uint32Array | undefined {
  return newResident(Uint32Array, length);
}

/** The wasm offset of `words`: in place when adopted, else a copy made once per array; -1 when memory cannot grow. */
function wordsPtr(kernels: WasmKernels, words: Uint32Array): number {
  const at = residentOffset(words);
  if (at !== undefined) return at;
  const hit = wordCopies.get(words);
  if (hit !== undefined && hit.length === words.length) return hit.ptr;
  const ptr = kernels.arena.alloc(words.byteLength + TAIL_BYTES);
  if (ptr < 0) return -1;
  new Uint32Array(kernels.arena.memory.buffer, ptr, words.length).set(words);
  if (hit !== undefined) {
    kernels.arena.release(hit.ptr);
    release(kernels).unregister(hit);
  }
  const copy = { ptr, length: words.length };
  wordCopies.set(words, copy);
  release(kernels).register(words, ptr, copy);
  return ptr;
}

/** The wasm offset of `scale[0 .. count)` as float64, copied once per (words, scale) pair; -1 when memory cannot grow. */
function scalesPtr(kernels: WasmKernels, words: Uint32Array, scale: TypedArray, count: number): number {
  const hit = scaleCopies.get(words);
  if (hit !== undefined && hit.scale === scale && hit.length === count) return hit.ptr;
  const ptr = kernels.arena.alloc(count * 8);
  if (ptr < 0) return -1;
  const dst = new Float64Array(kernels.arena.memory.buffer, ptr, count);
  for (let i = 0; i < count; i++) dst[i] = scale[i];
  if (hit !== undefined) {
    kernels.arena.release(hit.ptr);
    release(kernels).unregister(hit);
  }
  const copy = { ptr, length: count, scale };
  scaleCopies.set(words, copy);
  release(kernels).register(words, ptr, copy);
  return ptr;
}

/**
 * True when {@link ternaryMatmulWasm} takes these arguments (int8
 * activations, scale groups of whole 64-column blocks) on this engine.
 *
 * @example
 * ```ts
 * ternaryWasmApplies(new Int8Array(4096), 4096, 4096); // true where WebAssembly SIMD validates
 * ```
 */
export function ternaryWasmApplies(x: TypedArray, K: number, groupSize: number): boolean {
  return x instanceof Int8Array && (groupSize >= K || groupSize % TERNARY_BLOCK === 0) && wasmKernels() !== undefined;
}

/** Slots of a job's description (byte offsets in wasm memory, counts); see {@link runTernaryRows}. */
export const JOB = { w: 0, rowStride: 1, xv: 2, xBytes: 3, sums: 4, M: 5, N: 6, blocks: 7, blocksPerGroup: 8, G: 9, corr: 10, wScale: 11, xScale: 12, perGroup: 13, out: 14, length: 15 } as const;

/**
 * Products of one activation, prepared in wasm memory: one description per
 * product (`jobs`, see {@link JOB}; all read the same prepared activations,
 * each has its own weights, sums and outputs) and the per-call blocks to
 * release after reading the outputs.
 *
 * @example
 * ```ts
 * const p = prepareTernaryJob(kernels, x, xScale, w, wScale, M, N, K, K);
 * p?.jobs.length; // 1
 * ```
 */
export interface TernaryJob {
  readonly jobs: readonly Int32Array[];
  readonly temps: readonly number[];
}

/**
 * One weight of a product set: packed words `[N, ceil(K/16)]` and scales
 * `[N, G]`.
 *
 * @example
 * ```ts
 * const q: TernaryWeight = { w: qWords, wScale: qScale, N: 1536 };
 * ```
 */
export interface TernaryWeight {
  readonly w: Uint32Array;
  readonly wScale: TypedArray;
  readonly N: number;
}

/**
 * Prepares a product (see {@link TernaryJob}): words and scales resident,
 * activations in the kernel's layout (see ternary-kernel.ts: vector j of
 * block b holds x'_(64b + 8l + j) in lane l; x' = x in fields 0 and 1,
 * x_k - 4·x_(k-1) in fields 2..7, 0 past K), the corrections Σ x per token
 * and group, the divisors as float64. Undefined when memory cannot grow.
 * Needs K > 0, M > 0 and an argument set {@link ternaryWasmApplies} accepts.
 *
 * @example
 * ```ts
 * const p = prepareTernaryJob(kernels, x, xScale, w, wScale, M, N, K, K);
 * if (p !== undefined) runTernaryRows(kernels, p.jobs[0], 0, N);
 * ```
 */
export function prepareTernaryJob(
  kernels: WasmKernels,
  x: TypedArray,
  xScale: TypedArray,
  w: Uint32Array,
  wScale: TypedArray,
  M: number,
  N: number,
  K: number,
  groupSize: number,
): TernaryJob | undefined {
  return prepareTernaryJobs(kernels, x, xScale, [{ w, wScale, N }], M, K, groupSize);
}

/**
 * {@link prepareTernaryJob} for several weights of the same K and scale
 * groups that read one activation (q, k and v; gate and up): the
 * activations are laid out once, and each weight gets its own description,
 * sums and outputs. Undefined when memory cannot grow.
 *
 * @example
 * ```ts
 * const p = prepareTernaryJobs(kernels, x, xScale, [q, k, v], M, K, K);
 * p?.jobs.length; // 3
 * ```
 */
export function prepareTernaryJobs(
  kernels: WasmKernels,
  x: TypedArray,
  xScale: TypedArray,
  weights: readonly TernaryWeight[],
  M: number,
  K: number,
  groupSize: number,
): TernaryJob | undefined {
  const G = Math.ceil(K / groupSize);
  const blocks = Math.ceil(K / TERNARY_BLOCK);
  const blocksPerGroup = G === 1 ? blocks : groupSize / TERNARY_BLOCK;
  const perGroup = G > 1 && xScale.length === M * G;
  const ptrs: [number, number][] = [];
  for (const { w, wScale, N } of weights) {
    const wp = wordsPtr(kernels, w);
    const sp = wp < 0 ? -1 : scalesPtr(kernels, w, wScale, N * G);
    if (sp < 0) return undefined;
    ptrs.push([wp, sp]);
  }
  const { arena } = kernels;
  const xBytes = blocks * TERNARY_BLOCK * 2;
  const xsCount = perGroup ? M * G : M;
  const temps = [arena.alloc(M * xBytes), arena.alloc(M * G * 4), arena.alloc(xsCount * 8)];
  for (const { N } of weights) temps.push(arena.alloc(M * N * G * 16), arena.alloc(M * N * 4));
  // each token's codes, zero-padded to whole blocks in the scratch block, laid out by the prep kernel
  const padded = temps.some((p) => p < 0) ? -1 : scratchBlock(kernels, blocks * TERNARY_BLOCK);
  if (padded < 0) {
    for (const p of temps) arena.release(p);
    return undefined;
  }
  const [xv, corr, xs] = temps as [number, number, number];
  for (let m = 0; m < M; m++) {
    const row = new Int8Array(arena.memory.buffer, padded, blocks * TERNARY_BLOCK);
    row.set(x.subarray(m * K, (m + 1) * K));
    if (blocks * TERNARY_BLOCK > K) row.fill(0, K);
    kernels.ternaryPrep(padded, blocks, blocksPerGroup, xv + m * xBytes, corr + m * G * 4);
  }
  const xsv = new Float64Array(arena.memory.buffer, xs, xsCount);
  for (let i = 0; i < xsCount; i++) xsv[i] = xScale[i];
  const jobs = weights.map(({ N }, i) => {
    const job = new Int32Array(JOB.length);
    job[JOB.w] = ptrs[i][0];
    job[JOB.rowStride] = wordsPerRow(K) * 4;
    job[JOB.xv] = xv;
    job[JOB.xBytes] = xBytes;
    job[JOB.sums] = temps[3 + 2 * i];
    job[JOB.M] = M;
    job[JOB.N] = N;
    job[JOB.blocks] = blocks;
    job[JOB.blocksPerGroup] = blocksPerGroup;
    job[JOB.G] = G;
    job[JOB.corr] = corr;
    job[JOB.wScale] = ptrs[i][1];
    job[JOB.xScale] = xs;
    job[JOB.perGroup] = perGroup ? 1 : 0;
    job[JOB.out] = temps[4 + 2 * i];
    return job;
  });
  return { jobs, temps };
}

/**
 * The plain twin of the `ternary_prep` kernel (ternary-prep-kernel.ts), which
 * {@link prepareTernaryJob} runs per token: token `m`'s `K` int8 codes of
 * `x` in the ternary kernel's layout (`blocks` blocks of 64 int16 values;
 * vector j of block b holds x'_(64b + 8l + j) in lane l, x' = x in fields 0
 * and 1, x_k - 4·x_(k-1) in fields 2..7, 0 past K) into `xv`, and the sum of
 * the codes over each run of `blocksPerGroup` blocks into `corr`.
 *
 * @example
 * ```ts
 * const xv = new Int16Array(64), corr = new Int32Array(1);
 * ternaryPrepReference(new Int8Array([1, 2, 3]), 0, 3, 1, 1, xv, corr); // xv[0] = 1, xv[8] = 2, xv[16] = 3 - 4·2; corr[0] = 6
 * ```
 */
export function ternaryPrepReference(x: ArrayLike<number>, m: number, K: number, blocks: number, blocksPerGroup: number, xv: Int16Array, corr: Int32Array): void {
  const G = Math.ceil(blocks / blocksPerGroup);
  corr.fill(0, 0, G);
  for (let b = 0; b < blocks; b++) {
    let c = 0;
    for (let l = 0; l < 8; l++) {
      let prev = 0;
      for (let j = 0; j < 8; j++) {
        const k = b * TERNARY_BLOCK + 8 * l + j;
        const xk = k < K ? x[m * K + k] : 0;
        xv[b * TERNARY_BLOCK + 8 * j + l] = j < 2 ? xk : xk - 4 * prev;
        prev = xk;
        c += xk;
      }
    }
    corr[Math.floor(b / blocksPerGroup)] += c;
  }
}

/**
 * Runs output rows `[r0, r1)` of a prepared job: the int32 sums (two tokens
 * at a time, then one) and their rescale into the job's float32 `out`
 * `[M, N]`. Any thread whose instance shares the job's memory may run any
 * disjoint range.
 *
 * @example
 * ```ts
 * runTernaryRows(kernels, p.jobs[0], 0, N);
 * ```
 */
export function runTernaryRows(k: KernelFunctions, job: ArrayLike<number>, r0: number, r1: number): void {
  const rows = r1 - r0;
  if (rows <= 0) return;
  const M = job[JOB.M];
  const N = job[JOB.N];
  const G = job[JOB.G];
  const rowStride = job[JOB.rowStride];
  const xBytes = job[JOB.xBytes];
  const blocks = job[JOB.blocks];
  const bpg = job[JOB.blocksPerGroup];
  const outRow = G * 16;
  const outToken = N * G * 16;
  const wBase = job[JOB.w] + r0 * rowStride;
  const sBase = job[JOB.sums] + r0 * outRow;
  const xv = job[JOB.xv];
  let m = 0;
  for (; m + 2 <= M; m += 2) k.ternary1x2(wBase, rowStride, xv + m * xBytes, xBytes, sBase + m * outToken, outRow, outToken, rows, blocks, bpg);
  if (m < M) k.ternary1x1(wBase, rowStride, xv + m * xBytes, xBytes, sBase + m * outToken, outRow, outToken, rows, blocks, bpg);
  const perGroup = job[JOB.perGroup];
  const wScale = job[JOB.wScale] + r0 * G * 8;
  const rows4 = rows - (rows % 4);
  for (m = 0; m < M; m++) {
    const xs = job[JOB.xScale] + (perGroup === 1 ? m * G * 8 : m * 8);
    const sums = sBase + m * outToken;
    const corr = job[JOB.corr] + m * G * 4;
    const out = job[JOB.out] + (m * N + r0) * 4;
    if (rows4 > 0) k.ternaryRescale4(sums, corr, wScale, xs, perGroup, out, rows4, G);
    if (rows4 < rows) k.ternaryRescale(sums + rows4 * outRow, corr, wScale + rows4 * G * 8, xs, perGroup, out + rows4 * 4, rows - rows4, G);
  }
}

/**
 * Copies rows `[r0, r1)` of a finished product's outputs (`job`, one of a
 * {@link TernaryJob}'s descriptions) into `out` `[M, N]`.
 *
 * @example
 * ```ts
 * copyTernaryOut(kernels, p.jobs[1], kOut, 0, N);
 * ```
 */
export function copyTernaryOut(kernels: WasmKernels, job: Int32Array, out: Float32Array, r0: number, r1: number): void {
  const M = job[JOB.M];
  const N = job[JOB.N];
  const src = new Float32Array(kernels.arena.memory.buffer, job[JOB.out], M * N);
  if (r0 === 0 && r1 === N) out.set(src);
  else for (let m = 0; m < M; m++) out.set(src.subarray(m * N + r0, m * N + r1), m * N + r0);
}

/**
 * Releases a job's per-call blocks (once no thread writes into them).
 *
 * @example
 * ```ts
 * releaseTernaryJob(kernels, p);
 * ```
 */
export function releaseTernaryJob(kernels: WasmKernels, p: TernaryJob): void {
  for (const t of p.temps) kernels.arena.release(t);
}

/**
 * Copies rows `[r0, r1)` of a finished single-product job's outputs into
 * `out` `[M, N]` and releases the job's per-call blocks (unless `release`
 * is false: a kernel thread may still write into them, and its team
 * releases them later).
 *
 * @example
 * ```ts
 * finishTernaryJob(kernels, p, out, 0, N);
 * ```
 */
export function finishTernaryJob(kernels: WasmKernels, p: TernaryJob, out: Float32Array, r0: number, r1: number, release = true): void {
  copyTernaryOut(kernels, p.jobs[0], out, r0, r1);
  if (release) releaseTernaryJob(kernels, p);
}

/**
 * `out[m,n] = Σ_g wScale[n,g]·(Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m]` (or, with
 * `xScale.length === M·G` and G > 1, `Σ_g wScale[n,g]·(Σ_{k∈g} t[n,k]·x[m,k]) / xScale[m,g]`)
 * for the weight rows `n` in `[rowStart, rowEnd)` (the other entries of `out` are
 * left as they are), with the WebAssembly SIMD kernel; bit-identical to
 * ternaryMatmulReference. Returns false, computing nothing, when it does not
 * apply (see {@link ternaryWasmApplies}) or wasm memory cannot grow: the
 * caller then runs a JavaScript kernel.
 *
 * @example
 * ```ts
 * const out = new Float32Array(M * N);
 * ternaryMatmulWasm(xCodes, xScale, words, wScale, M, N, K, K, out); // true
 * ```
 */
export function ternaryMatmulWasm(
  x: TypedArray,
  xScale: TypedArray,
  w: Uint32Array,
  wScale: TypedArray,
  M: number,
  N: number,
  K: number,
  groupSize: number,
  out: Float32Array,
  rowStart = 0,
  rowEnd = N,
): boolean {
  if (!ternaryWasmApplies(x, K, groupSize)) return false;
  const kernels = wasmKernels() as WasmKernels;
  if (M === 0 || rowEnd - rowStart <= 0) return true;
  if (K === 0) {
    for (let m = 0; m < M; m++) for (let n = rowStart; n < rowEnd; n++) out[m * N + n] = 0 / xScale[m];
    return true;
  }
  const p = prepareTernaryJob(kernels, x, xScale, w, wScale, M, N, K, groupSize);
  if (p === undefined) return false;
  runTernaryRows(kernels, p.jobs[0], rowStart, rowEnd);
  finishTernaryJob(kernels, p, out, rowStart, rowEnd);
  return true;
}

/**
 * {@link ternaryMatmulWasm} for several weights of the same K and scale
 * groups over one activation (q, k and v; gate and up): `outs[i] [M, N_i]`
 * from `weights[i]`, with the activations laid out once. Each output equals
 * that weight's own `ternaryMatmulWasm`. Returns false where the wasm
 * kernel does not apply or memory cannot grow (the caller then runs other
 * kernels, which write every output).
 *
 * @example
 * ```ts
 * ternaryMatmulManyWasm(xCodes, xScale, [{ w: qw, wScale: qs, N: 1536, out: q }, { w: kw, wScale: ks, N: 1536, out: k }], 1, 1536, 1536); // true
 * ```
 */
export function ternaryMatmulManyWasm(
  x: TypedArray,
  xScale: TypedArray,
  products: readonly TernaryProduct[],
  M: number,
  K: number,
  groupSize: number,
): boolean {
  if (!ternaryWasmApplies(x, K, groupSize)) return false;
  if (M === 0 || K === 0 || products.length < 2 || products.some((p) => p.N === 0)) {
    return products.every(({ w, wScale, N, out }) => ternaryMatmulWasm(x, xScale, w, wScale, M, N, K, groupSize, out));
  }
  const kernels = wasmKernels() as WasmKernels;
  const p = prepareTernaryJobs(kernels, x, xScale, products, M, K, groupSize);
  if (p === undefined) return false;
  products.forEach((product, i) => {
    runTernaryRows(kernels, p.jobs[i], 0, product.N);
    copyTernaryOut(kernels, p.jobs[i], product.out, 0, product.N);
  });
  releaseTernaryJob(kernels, p);
  return true;
}
