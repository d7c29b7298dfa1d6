// The WebAssembly SIMD ternary x int8 kernel: int32 sums
// Σ_k c[n,k]·x[m,k] of the weights' 2-bit codes c = t + 1 (0, 1, 2) for a
// tile of R weight rows by T tokens, with no multiplies of unpacked codes.
// It reads the packed words exactly as every backend stores them
// (quant/packed-format.ts: 16 codes per uint32, LSB first), so frozen
// weights need no conversion, only a place in wasm memory. Activations come
// in the layout ternary-wasm.ts prepares:
//
// - weights: a block of 64 weights is 4 words = one v128 of 8 int16 lanes;
//   lane l holds weights k = 64b + 8l + j in its bit pairs j = 0..7.
//   Read as unsigned, v >>> 2j (`i16x8.shr_u`) is s_j = Σ_{i≥j} 4^(i-j)·c_i,
//   and v & 3 is c_0. For j >= 1, s_j <= 4^7 - 1 fits a signed int16 even
//   for code 3 (padding beyond a row's last word may hold anything).
// - activations, per token and block, 8 vectors of 8 int16 lanes: vector j,
//   lane l holds x'_(8l+j), with x'_k = x_k for fields 0 and 1 and
//   x'_k = x_k - 4·x_(k-1) for fields 2..7. Then
//   c_0·x_0 + Σ_{j≥1} s_j·x'_j telescopes to Σ_j c_j·x_j: one `v128.and` or
//   `i16x8.shr_u` and one `i32x4.dot_i16x8_s` per 8 weights, no widening.
//   The driver subtracts Σ x (the +1 of the codes). Intermediate int32 lane
//   sums may wrap; the final sum is exact because wasm integer adds are
//   modulo 2^32 and the true result is small.
//
// Measured on this machine (Node 20.20.2, one thread, W 4096x4096, min or
// median of 11-21 interleaved runs while the 2 vCPUs were shared with other
// jobs, load average 8-14), on the previous form of this kernel (its own
// weight layout, the same instruction count per block):
// - The kernel is bound by the latency of its accumulator chain (8 dependent
//   i32x4.add per block): 1 row x 1 token with one accumulator 0.74 ms per
//   matvec; with 2 or 4 accumulators ("chains") 0.51 ms; 1 row x 2 tokens
//   (two chains by construction) 0.49 ms per token.
// - More rows per tile did not help: 2 rows 0.78-1.1 ms, 4 rows 1.0-1.5 ms (more
//   live v128 values than V8 keeps in registers); 8 tokens as 2 rows x 4 tokens 12 ms.
// - Runs (scale groups) cost: a decode step's 168 products of the large
//   model took 26 ms with one group per row against 34 ms with Q8_K's
//   256-column groups when each run zeroed its accumulators and stored a
//   horizontal sum; storing cumulative lane sums instead took 32.4 ms. Two or
//   four blocks per loop iteration (memarg offsets) were slower: 42-45 ms.
//   Rescaling inside this kernel at each run's end (no separate pass, no
//   sums in memory) was slower still: 40.5 ms with Q8_K groups, 28 ms with
//   one group per row (26-27 ms with the separate rescale step).
// - The JavaScript base-3 LUT kernel took 3.9-4.4 ms in the same runs (when
//   not disturbed). An earlier measurement put the extend +
//   i32x4.dot_i16x8_s form at 0.69 ms and the TL1 i8x16.swizzle form at 0.66 ms.
// - Relaxed SIMD, tried and not used (2026-11-29): a tile on unpacked code
//   planes ((v >>> 2p) & 3 per byte, `i8x16.shr_u` + `v128.and`) with
//   `i32x4.relaxed_dot_i8x16_i7x16_add_s`, 16 weights per instruction, took
//   0.83 ms per 4096x4096 matvec in headless Chromium 156 on this machine
//   against 0.55 ms for this kernel (medians of 15 samples of 10, same page);
//   and Node 20's experimental relaxed SIMD (--experimental-wasm-relaxed-simd)
//   returned twice the dot product. Results were exact in Chromium.
import { FunctionBuilder, V128_ZERO } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

/** Weights per v128 block of one row. */
export const TERNARY_BLOCK = 64;

/**
 * Emits `name(w, rowStride, x, xStride, out, outRowStride, outTokenStride, rows, blocks, groupBlocks)`:
 * for rows `0 .. rows-1` (a multiple of `R`) and tokens `0 .. T-1`, walks
 * the `blocks` blocks of each row once, in runs (scale groups) of
 * `groupBlocks` blocks (the last run may be shorter), and at the end of each
 * run stores the accumulators' four int32 lane sums so far (cumulative over
 * the row: no zeroing and no horizontal sum per run; the rescale step takes
 * differences and adds the lanes) as one v128 at
 * `out + row·outRowStride + token·outTokenStride + 16·run`.
 * All pointers and strides in bytes; `blocks` >= 1, `groupBlocks` >= 1
 * (`groupBlocks >= blocks`: one sum per row and token). Field j of each block
 * adds into accumulator `j % chains` of its (row, token).
 *
 * @example
 * ```ts
 * const f = emitTernaryKernel("ternary_4x1", 4, 1);
 * encodeModule({ memoryMinPages: 1, functions: [f] }); // a module exporting ternary_4x1
 * ```
 */
export function emitTernaryKernel(name: string, R: number, T: number, chains = 1): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [W, ROW_STRIDE, X, X_STRIDE, OUT, OUT_ROW, OUT_TOKEN, ROWS, BLOCKS, GROUP_BLOCKS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const rem = f.local("i32"); // blocks of the row still to walk
  const outG = f.local("i32"); // where the current run's sums go
  const wp = Array.from({ length: R }, () => f.local("i32"));
  const xp = Array.from({ length: T }, () => f.local("i32"));
  const b = f.local("i32");
  const v = Array.from({ length: R }, () => f.local("v128"));
  // `chains` independent accumulators per (row, token), summed at the end: shorter add dependency chains
  const acc = Array.from({ length: R * T * chains }, () => f.local("v128"));
  const s = f.local("v128");
  const low2 = f.local("v128"); // 0x0003 in every int16 lane

  f.i32Const(3).op("i16x8.splat").set(low2);
  f.open("block");
  f.get(ROWS).op("i32.eqz").brIf(0);
  f.get(BLOCKS).op("i32.eqz").brIf(0);
  f.get(GROUP_BLOCKS).op("i32.eqz").brIf(0);
  f.open("loop"); // over tiles of R rows
  for (let i = 0; i < R; i++) {
    if (i === 0) f.get(W);
    else f.get(wp[i - 1]).get(ROW_STRIDE).op("i32.add");
    f.set(wp[i]);
  }
  for (let t = 0; t < T; t++) {
    if (t === 0) f.get(X);
    else f.get(xp[t - 1]).get(X_STRIDE).op("i32.add");
    f.set(xp[t]);
  }
  f.get(OUT).set(outG);
  f.get(BLOCKS).set(rem);
  for (const a of acc) f.v128Const(V128_ZERO).set(a);
  f.open("loop"); // over runs of groupBlocks blocks (scale groups)
  // b = min(groupBlocks, rem); rem -= b
  f.get(GROUP_BLOCKS).set(b);
  f.get(rem).get(GROUP_BLOCKS).op("i32.lt_u").open("if").get(rem).set(b).end();
  f.get(rem).get(b).op("i32.sub").set(rem);
  f.open("loop"); // over blocks of 64 weights
  for (let i = 0; i < R; i++) f.get(wp[i]).memory("v128.load").set(v[i]);
  for (let j = 0; j < 8; j++) {
    for (let i = 0; i < R; i++) {
      f.get(v[i]);
      if (j === 0) f.get(low2).op("v128.and");
      else f.i32Const(2 * j).op("i16x8.shr_u");
      f.set(s);
      for (let t = 0; t < T; t++) {
        const a = acc[(i * T + t) * chains + (j % chains)];
        f.get(a).get(s).get(xp[t]).memory("v128.load", 16 * j).op("i32x4.dot_i16x8_s").op("i32x4.add").set(a);
      }
    }
  }
  for (let i = 0; i < R; i++) f.get(wp[i]).i32Const(16).op("i32.add").set(wp[i]);
  for (let t = 0; t < T; t++) f.get(xp[t]).i32Const(128).op("i32.add").set(xp[t]);
  f.get(b).i32Const(1).op("i32.sub").variable("local.tee", b).brIf(0);
  f.end();
  // the run's end: the chains' lane sums so far (cumulative over the row), stored as one v128
  for (let i = 0; i < R; i++) {
    for (let t = 0; t < T; t++) {
      f.get(outG);
      if (i > 0) f.get(OUT_ROW).i32Const(i).op("i32.mul").op("i32.add");
      if (t > 0) f.get(OUT_TOKEN).i32Const(t).op("i32.mul").op("i32.add");
      f.get(acc[(i * T + t) * chains]);
      for (let c = 1; c < chains; c++) f.get(acc[(i * T + t) * chains + c]).op("i32x4.add");
      f.memory("v128.store");
    }
  }
  f.get(outG).i32Const(16).op("i32.add").set(outG);
  f.get(rem).brIf(0);
  f.end();
  f.get(OUT).get(OUT_ROW).i32Const(R).op("i32.mul").op("i32.add").set(OUT);
  f.get(W).get(ROW_STRIDE).i32Const(R).op("i32.mul").op("i32.add").set(W);
  f.get(ROWS).i32Const(R).op("i32.sub").variable("local.tee", ROWS).brIf(0);
  f.end();
  f.end();
  return f;
}
