// The driver of the WebAssembly ternary kernel (ternary-kernel.ts): weights
// converted once to the kernel's layout and kept in wasm memory (cached per
// packed words array; released when that array is garbage collected),
// activations widened and transformed per call, the int32 sums rescaled in
// JavaScript exactly as the reference does (so results are bit-identical to
// ternaryMatmulReference for int8 activations).
//
// Shapes: x [M, K] int8, xScale [M] or [M, G] (one divisor per row and scale
// group, llama.cpp's Q8_K activation blocks), w packed [N, ceil(K/16)] words,
// wScale [N, G] with G = ceil(K / groupSize), out [M, N] float32. Scale groups
// must be whole 64-column blocks (groupSize % 64 === 0) or one group per row.
import type { TypedArray } from "../dtype.js";
import { wordsPerRow } from "../quant/packed-format.js";
import { TERNARY_BLOCK } from "./ternary-kernel.js";
import { type WasmKernels, wasmKernels } from "./wasm-kernels.js";

/** Weights in the kernel's layout, in wasm memory at `ptr`. */
interface WasmTernaryWeights {
  readonly ptr: number;
  readonly rows: number;
  readonly cols: number;
  readonly blocks: number;
}

const cache = new WeakMap<Uint32Array, WasmTernaryWeights>();
let registry: FinalizationRegistry<number> | undefined;

/**
 * Writes words [N, ceil(K/16)] as the kernel's int16 lanes (see ternary-kernel.ts) into `dst`.
 * Code 3 is never written by the packer (unpackTernary rejects it) and is outside the kernels' contract.
 */
function convertWeights(words: Uint32Array, N: number, K: number, blocks: number, dst: Uint16Array): void {
  const wpr = wordsPerRow(K);
  for (let n = 0; n < N; n++) {
    const rowWords = n * wpr;
    const rowLanes = n * blocks * 8;
    for (let b = 0; b < blocks; b++) {
      for (let l = 0; l < 8; l++) {
        let v = 0;
        for (let j = 0; j < 8; j++) {
          const k = b * TERNARY_BLOCK + 8 * j + l;
          const c = k < K ? ((words[rowWords + (k >>> 4)]) >>> (2 * (k & 15))) & 3 : 1;
          // fields 0..6: the code c = t + 1; field 7: t in two's complement
          v |= (j < 7 ? c : (c - 1) & 3) << (2 * j);
        }
        dst[rowLanes + b * 8 + l] = v;
      }
    }
  }
}

function weightsFor(kernels: WasmKernels, words: Uint32Array, N: number, K: number): WasmTernaryWeights | undefined {
  const hit = cache.get(words);
  if (hit !== undefined && hit.rows === N && hit.cols === K) return hit;
  const blocks = Math.ceil(K / TERNARY_BLOCK);
  const ptr = kernels.arena.alloc(N * blocks * 16);
  if (ptr < 0) return undefined;
  convertWeights(words, N, K, blocks, new Uint16Array(kernels.arena.memory.buffer, ptr, N * blocks * 8));
  const prepared = { ptr, rows: N, cols: K, blocks };
  if (hit !== undefined) {
    kernels.arena.release(hit.ptr);
    registry?.unregister(hit);
  }
  cache.set(words, prepared);
  registry ??= new FinalizationRegistry<number>((p) => kernels.arena.release(p));
  registry.register(words, ptr, prepared);
  return prepared;
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
  const rows = rowEnd - rowStart;
  if (M === 0 || rows <= 0) return true;
  const G = Math.ceil(K / groupSize);
  if (K === 0) {
    for (let m = 0; m < M; m++) for (let n = rowStart; n < rowEnd; n++) out[m * N + n] = 0 / xScale[m];
    return true;
  }
  const weights = weightsFor(kernels, w, N, K);
  if (weights === undefined) return false;
  const blocks = weights.blocks;
  const blocksPerGroup = G === 1 ? blocks : groupSize / TERNARY_BLOCK;
  const { arena } = kernels;
  const xBytes = blocks * TERNARY_BLOCK * 2;
  const xp = arena.alloc(M * xBytes);
  const sums = arena.alloc(M * rows * G * 4);
  try {
    if (xp < 0 || sums < 0) return false;
    const buffer = arena.memory.buffer;
    // x'_k = x_k - 4·x_(k-8) inside each block (x'_k = x_k in field 0), and
    // the correction Σ x over fields 0..6 of every group
    const xv = new Int16Array(buffer, xp, M * blocks * TERNARY_BLOCK);
    const corr = new Int32Array(M * G);
    for (let m = 0; m < M; m++) {
      const xo = m * K;
      const vo = m * blocks * TERNARY_BLOCK;
      for (let b = 0; b < blocks; b++) {
        const g = Math.floor(b / blocksPerGroup);
        let c = 0;
        for (let i = 0; i < TERNARY_BLOCK; i++) {
          const k = b * TERNARY_BLOCK + i;
          const xk = k < K ? x[xo + k] : 0;
          const prev = i >= 8 && k - 8 < K ? x[xo + k - 8] : 0;
          xv[vo + k] = xk - 4 * prev;
          if (i < 56) c += xk;
        }
        corr[m * G + g] = corr[m * G + g] + c;
      }
    }
    const rowStride = blocks * 16;
    const outRow = G * 4;
    const outToken = rows * G * 4;
    // one pass over each row: the kernel stores one sum per scale group (run of blocksPerGroup blocks)
    const wBase = weights.ptr + rowStart * rowStride;
    let m = 0;
    for (; m + 2 <= M; m += 2) kernels.ternary1x2(wBase, rowStride, xp + m * xBytes, xBytes, sums + m * outToken, outRow, outToken, rows, blocks, blocksPerGroup);
    if (m < M) kernels.ternary1x1(wBase, rowStride, xp + m * xBytes, xBytes, sums + m * outToken, outRow, outToken, rows, blocks, blocksPerGroup);
    const s = new Int32Array(buffer, sums, M * rows * G);
    if (G > 1 && xScale.length === M * G) {
      // one divisor per row and group, in the reference's order of operations
      for (let m = 0; m < M; m++) {
        for (let r = 0; r < rows; r++) {
          const n = rowStart + r;
          const so = (m * rows + r) * G;
          let y = 0;
          for (let g = 0; g < G; g++) {
            y += (wScale[n * G + g] * (s[so + g] - corr[m * G + g])) / xScale[m * G + g];
          }
          out[m * N + n] = y;
        }
      }
      return true;
    }
    for (let m = 0; m < M; m++) {
      const xs = xScale[m];
      for (let r = 0; r < rows; r++) {
        const n = rowStart + r;
        const so = (m * rows + r) * G;
        let y = 0;
        for (let g = 0; g < G; g++) y += wScale[n * G + g] * (s[so + g] - corr[m * G + g]);
        out[m * N + n] = y / xs;
      }
    }
    return true;
  } finally {
    arena.release(xp);
    arena.release(sums);
  }
}
