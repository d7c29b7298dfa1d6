// WebAssembly SIMD float32 matmul micro-kernels (register-blocked f32x4;
// SIMD128 has no fused multiply-add, so f32x4.mul then f32x4.add). The
// driver (matmul-wasm.ts) pads operands so that the kernels have no tails.
//
// - "nn": C[rows, Np] = A[rows, K] · B[K, Np], B row-major. Tile R rows x 8
//   columns in 2R accumulators; per k one v128.load32_splat of A per row and
//   two v128.load of B (XNNPACK's 4x8 "loadsplat" f32 GEMM, re-derived). Loops:
//   8-column panel -> R-row block -> k (by 1). The driver packs one panel at a
//   time into a small scratch (emitPackPanels) and runs every row over it.
// - "nt": C[rows, Np] = A[rows, Kp] · Bt[Np, Kp]ᵀ, both read along k ("dot
//   form", the transposed operand of a linear layer's forward and of the
//   weight gradient): tile R rows x S rows of Bt in R·S f32x4 accumulators,
//   k by 4 (one v128 of each row per step), horizontal sums at the end.
//
// Measured on this machine (Node 20.20.2, one thread, 2 shared vCPUs, AMD
// EPYC; [64,1024]x[1024,4096], medians of 9-11 interleaved runs, JavaScript
// matmulBlocked 124-127 ms in the same runs). "nn" variants, whole driver
// (operand copies included) unless said:
// - before: 4x8, k unrolled by 4, all of B packed into panels first (copy of
//   B 0.9 ms + pack 2.9 ms + kernel 20.5 ms): 26.5-26.9 ms (4.7x).
// - k unrolled by 4 / 2 / 1, same tile, row-major B: 26.6 / 23.7 / 19.8 ms;
//   unrolling is slower here, at every tile tried (V8 11.3's TurboFan).
// - Tiles (k by 1, row-major B with padded rows): 4x8 19.8-20.1, 2x16 19.4,
//   4x12 23.2, 3x16 25.8, 5x8 30.8, 6x8 33.0 ms: more than 8 f32x4
//   accumulators was slower (V8 keeps v128 values in xmm0-14).
// - A packed so that the R values of one k are adjacent (one pointer instead
//   of R): 4x8 19.3-19.7 vs 19.8-20.1 ms; not kept (2%, within the noise, one
//   more copy).
// - B: all panels packed first 19.0-19.2 ms; packed from the JavaScript array
//   straight into panels by a JS loop 18.1 ms; B copied row-major with 64
//   bytes of padding per row, then each panel packed into a 32·K-byte scratch
//   just before its rows run: 16.5-17.2 ms (7.3-7.6x), kept. Without the row
//   padding 19.1 ms (N = 4096 makes a row 16 KiB, so a panel's rows share L1
//   sets). Splitting k into blocks of 128-256 rows (C reloaded) did not help
//   the k-by-4 and k-by-2 kernels (not retried with k by 1).
// - "splat" A (one v128.load of 4 values per row, i8x16.shuffle to broadcast)
//   25.3 vs 27.2 GFLOP/s for loadsplat in an in-cache loop; not kept.
// The kept "nn" sums each output's k in the same order as before, so its
// results are bit-identical to the old driver's (checked on five shapes).
// "nt", kernel alone (no copies): 4x2 with k by 8 (two v128 per row and
// step, before) 20.8 ms, k by 4 16.3 ms, k by 16 22.9 ms; tiles with k by 4:
// 2x4 16.6, 2x2 17.3, 4x3 21.3, 3x3 24.9 ms. Kept 4x2, k by 4. Lane l
// still sums the k with k mod 4 = l in order, so results are unchanged.
import { FunctionBuilder, V128_ZERO } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

const I32x9: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"];

/**
 * Emits `name(a, lda, b, ldb, c, ldc, rows, panels, k, panelStride)`:
 * C = A·B on a tile grid of R rows x 8 columns, `rows` a multiple of R,
 * `panels` = Np/8, `k` = K (any K: the k loop steps by one); strides in
 * bytes. Row k of panel p is read at `b + p·panelStride + k·ldb` (row-major
 * B: panelStride 32, ldb 4·Np; packed panels, see {@link emitPackPanels}:
 * panelStride 32·K, ldb 32).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitMatmulNN("nn4", 4)] });
 * ```
 */
export function emitMatmulNN(name: string, R: number): FunctionBuilder {
  const f = new FunctionBuilder(name, [...I32x9, "i32"], []);
  const [A, LDA, B, LDB, C, LDC, ROWS, PANELS, KSTEPS, PANEL_STRIDE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const ap = Array.from({ length: R }, () => f.local("i32"));
  const a0 = f.local("i32");
  const cp = f.local("i32");
  const bp = f.local("i32");
  const r = f.local("i32");
  const k = f.local("i32");
  const acc = Array.from({ length: 2 * R }, () => f.local("v128"));
  const b0 = f.local("v128");
  const b1 = f.local("v128");
  const av = f.local("v128");

  f.open("block");
  f.get(ROWS).op("i32.eqz").brIf(0);
  f.get(PANELS).op("i32.eqz").brIf(0);
  f.get(KSTEPS).op("i32.eqz").brIf(0);
  f.open("loop"); // panels
  f.get(A).set(a0);
  f.get(C).set(cp);
  f.get(ROWS).set(r);
  f.open("loop"); // row blocks
  for (let i = 0; i < R; i++) {
    if (i === 0) f.get(a0);
    else f.get(ap[i - 1]).get(LDA).op("i32.add");
    f.set(ap[i]);
  }
  f.get(B).set(bp);
  for (const x of acc) f.v128Const(V128_ZERO).set(x);
  f.get(KSTEPS).set(k);
  f.open("loop"); // k, one step per iteration (unrolled by 2 or 4 measured slower: see the header)
  f.get(bp).memory("v128.load", 0).set(b0);
  f.get(bp).memory("v128.load", 16).set(b1);
  for (let i = 0; i < R; i++) {
    f.get(ap[i]).memory("v128.load32_splat", 0).set(av);
    const c0 = acc[2 * i];
    const c1 = acc[2 * i + 1];
    f.get(c0).get(av).get(b0).op("f32x4.mul").op("f32x4.add").set(c0);
    f.get(c1).get(av).get(b1).op("f32x4.mul").op("f32x4.add").set(c1);
  }
  f.get(bp).get(LDB).op("i32.add").set(bp);
  for (let i = 0; i < R; i++) f.get(ap[i]).i32Const(4).op("i32.add").set(ap[i]);
  f.get(k).i32Const(1).op("i32.sub").variable("local.tee", k).brIf(0);
  f.end();
  for (let i = 0; i < R; i++) {
    f.get(cp);
    if (i > 0) f.get(LDC).i32Const(i).op("i32.mul").op("i32.add");
    f.get(acc[2 * i]).memory("v128.store", 0);
    f.get(cp);
    if (i > 0) f.get(LDC).i32Const(i).op("i32.mul").op("i32.add");
    f.get(acc[2 * i + 1]).memory("v128.store", 16);
  }
  f.get(a0).get(LDA).i32Const(R).op("i32.mul").op("i32.add").set(a0);
  f.get(cp).get(LDC).i32Const(R).op("i32.mul").op("i32.add").set(cp);
  f.get(r).i32Const(R).op("i32.sub").variable("local.tee", r).brIf(0);
  f.end();
  f.get(B).get(PANEL_STRIDE).op("i32.add").set(B);
  f.get(C).i32Const(32).op("i32.add").set(C);
  f.get(PANELS).i32Const(1).op("i32.sub").variable("local.tee", PANELS).brIf(0);
  f.end();
  f.end();
  return f;
}

/**
 * Emits `name(a, lda, bt, ldbt, c, ldc, rows, colBlocks, ksteps)`: C = A·Btᵀ
 * on a tile grid of R rows of A x S rows of Bt, `rows` a multiple of R,
 * `colBlocks` = Np/S, `ksteps` = Kp/4; strides in bytes.
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitMatmulNT("nt4x2", 4, 2)] });
 * ```
 */
export function emitMatmulNT(name: string, R: number, S: number): FunctionBuilder {
  const f = new FunctionBuilder(name, I32x9, []);
  const [A, LDA, BT, LDBT, C, LDC, ROWS, COLBLOCKS, KSTEPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const ap = Array.from({ length: R }, () => f.local("i32"));
  const bq = Array.from({ length: S }, () => f.local("i32"));
  const a0 = f.local("i32");
  const cp = f.local("i32");
  const r = f.local("i32");
  const k = f.local("i32");
  const acc = Array.from({ length: R * S }, () => f.local("v128"));
  const bv = Array.from({ length: S }, () => f.local("v128"));
  const av = f.local("v128");

  f.open("block");
  f.get(ROWS).op("i32.eqz").brIf(0);
  f.get(COLBLOCKS).op("i32.eqz").brIf(0);
  f.get(KSTEPS).op("i32.eqz").brIf(0);
  f.open("loop"); // blocks of S rows of Bt
  f.get(A).set(a0);
  f.get(C).set(cp);
  f.get(ROWS).set(r);
  f.open("loop"); // blocks of R rows of A
  for (let i = 0; i < R; i++) {
    if (i === 0) f.get(a0);
    else f.get(ap[i - 1]).get(LDA).op("i32.add");
    f.set(ap[i]);
  }
  for (let j = 0; j < S; j++) {
    if (j === 0) f.get(BT);
    else f.get(bq[j - 1]).get(LDBT).op("i32.add");
    f.set(bq[j]);
  }
  for (const x of acc) f.v128Const(V128_ZERO).set(x);
  f.get(KSTEPS).set(k);
  f.open("loop"); // k, by 4 (one v128 per row; by 8 measured slower: see the header)
  for (let j = 0; j < S; j++) f.get(bq[j]).memory("v128.load", 0).set(bv[j]);
  for (let i = 0; i < R; i++) {
    f.get(ap[i]).memory("v128.load", 0).set(av);
    for (let j = 0; j < S; j++) {
      const x = acc[i * S + j];
      f.get(x).get(av).get(bv[j]).op("f32x4.mul").op("f32x4.add").set(x);
    }
  }
  for (let i = 0; i < R; i++) f.get(ap[i]).i32Const(16).op("i32.add").set(ap[i]);
  for (let j = 0; j < S; j++) f.get(bq[j]).i32Const(16).op("i32.add").set(bq[j]);
  f.get(k).i32Const(1).op("i32.sub").variable("local.tee", k).brIf(0);
  f.end();
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < S; j++) {
      const x = acc[i * S + j];
      f.get(cp);
      if (i > 0) f.get(LDC).i32Const(i).op("i32.mul").op("i32.add");
      f.get(x).lane("f32x4.extract_lane", 0).get(x).lane("f32x4.extract_lane", 1).op("f32.add");
      f.get(x).lane("f32x4.extract_lane", 2).get(x).lane("f32x4.extract_lane", 3).op("f32.add").op("f32.add");
      f.memory("f32.store", 4 * j);
    }
  }
  f.get(a0).get(LDA).i32Const(R).op("i32.mul").op("i32.add").set(a0);
  f.get(cp).get(LDC).i32Const(R).op("i32.mul").op("i32.add").set(cp);
  f.get(r).i32Const(R).op("i32.sub").variable("local.tee", r).brIf(0);
  f.end();
  f.get(BT).get(LDBT).i32Const(S).op("i32.mul").op("i32.add").set(BT);
  f.get(C).i32Const(4 * S).op("i32.add").set(C);
  f.get(COLBLOCKS).i32Const(1).op("i32.sub").variable("local.tee", COLBLOCKS).brIf(0);
  f.end();
  f.end();
  return f;
}

/**
 * Emits `name(src, ld, dst, rows, panels)`: copies a row-major matrix
 * [rows, 8·panels] (row stride `ld` bytes) into panels of 8 columns, each
 * panel its `rows` rows of 32 bytes one after another, so that the "nn"
 * kernel reads B sequentially (the driver packs one panel at a time into a
 * scratch that stays in cache while every row of A passes over it: a
 * row-major B read down a panel by the kernel itself measured 19.8 ms
 * against 16.5-17.2 ms at K = 1024, N = 4096).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitPackPanels("pack")] });
 * ```
 */
export function emitPackPanels(name: string): FunctionBuilder {
  const f = new FunctionBuilder(name, ["i32", "i32", "i32", "i32", "i32"], []);
  const [SRC, LD, DST, ROWS, PANELS] = [0, 1, 2, 3, 4];
  const s = f.local("i32");
  const r = f.local("i32");
  f.open("block");
  f.get(ROWS).op("i32.eqz").brIf(0);
  f.get(PANELS).op("i32.eqz").brIf(0);
  f.open("loop");
  f.get(SRC).set(s);
  f.get(ROWS).set(r);
  f.open("loop");
  f.get(DST).get(s).memory("v128.load", 0).memory("v128.store", 0);
  f.get(DST).get(s).memory("v128.load", 16).memory("v128.store", 16);
  f.get(DST).i32Const(32).op("i32.add").set(DST);
  f.get(s).get(LD).op("i32.add").set(s);
  f.get(r).i32Const(1).op("i32.sub").variable("local.tee", r).brIf(0);
  f.end();
  f.get(SRC).i32Const(32).op("i32.add").set(SRC);
  f.get(PANELS).i32Const(1).op("i32.sub").variable("local.tee", PANELS).brIf(0);
  f.end();
  f.end();
  return f;
}
