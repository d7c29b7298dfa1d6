// WebAssembly SIMD kernels of attention's two loops for all heads at once,
// walking the cache position by position (each row read from start to end,
// the order it lies in memory), in float64 and in the order of their
// JavaScript twins (attention-heads.ts), so the results are bit-identical:
//
// - "wsum": out[h·D + d] = f32(Σ_t p[h][t]·rows[t][kvo[h] + d]), each sum
//   in float64 in t order from +0. The sums live in a float64 block of the
//   kernels' memory, and each position adds its terms to every column. Two
//   positions per pass (two terms into each sum before storing it) took
//   twice as long at 200 positions (3.8-4.4 against 1.9-2.1 ms).
// - "dots": out[t][h] = Σ_d q[h][d]·rows[t][kvo[h] + d], each sum in d
//   order from +0: two heads per f64x2 (a head per lane, q laid out in lane
//   pairs), four heads per step (two chains). Lanes as two positions of one
//   head (four heads per step, or two) were slower at 200 positions.
//
// `kvo[h]` is the byte offset of query head h's slice in a row (h / G · D
// floats with G query heads per kv head). Walking the heads of one
// position, rather than one head's positions at a cache row's stride, reads
// the cache as one stream: a decode step's cache is far from the CPU
// caches (the step's weights passed through them since). Measured in
// attention-heads.ts.
import { FunctionBuilder, INTERLEAVE_HIGH, INTERLEAVE_LOW, LOW_HALVES, UPPER_HALF, V128_ZERO } from "./code-builder.js";
import type { ValType } from "./opcodes.js";


/**
 * Emits `name(p, pStride, kvo, rows, stride, H, D, T, acc, out)`: `p`
 * float64 with head h's weights at `p + h·pStride` (bytes), `kvo` int32
 * `[H]` (bytes), position t's row at `rows + t·stride`, `acc` a float64
 * block of `H·D` (zeroed here), `out` float32 `[H·D]`; `D` a multiple of 4,
 * `T` at least 1.
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitHeadsWeightedSumF64("heads_wsum_f64")] });
 * ```
 */
export function emitHeadsWeightedSumF64(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [P, P_STRIDE, KVO, ROWS, STRIDE, H, D, T, ACC, OUT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const i = f.local("i32");
  const end = f.local("i32");
  const h = f.local("i32");
  const ph = f.local("i32"); // p of head h at this position
  const kv = f.local("i32");
  const ap = f.local("i32"); // this head's sums
  const src = f.local("i32"); // this head's slice of the row
  const stop = f.local("i32");
  const pv = f.local("v128");
  const v = f.local("v128");

  f.open("block");
  f.get(T).op("i32.eqz").brIf(0);
  f.get(H).op("i32.eqz").brIf(0);
  f.get(D).op("i32.eqz").brIf(0);
  // acc = 0
  f.get(ACC).set(i);
  f.get(ACC).get(H).get(D).op("i32.mul").i32Const(3).op("i32.shl").op("i32.add").set(end);
  f.open("loop");
  f.get(i).v128Const(V128_ZERO).memory("v128.store");
  f.get(i).i32Const(16).op("i32.add").variable("local.tee", i).get(end).op("i32.lt_u").brIf(0);
  f.end();
  f.open("loop"); // over positions, in order
  f.get(H).set(h);
  f.get(KVO).set(kv);
  f.get(P).set(ph);
  f.get(ACC).set(ap);
  f.open("loop"); // over heads
  f.get(ph).memory("v128.load64_splat").set(pv);
  f.get(ROWS).get(kv).memory("i32.load").op("i32.add").set(src);
  f.get(src).get(D).i32Const(2).op("i32.shl").op("i32.add").set(stop);
  f.open("loop"); // over columns, four at a time: acc += p·row, in float64
  f.get(src).memory("v128.load").set(v);
  f.get(ap).get(ap).memory("v128.load").get(v).op("f64x2.promote_low_f32x4").get(pv).op("f64x2.mul").op("f64x2.add").memory("v128.store");
  f.get(ap).get(ap).memory("v128.load", 16).get(v).get(v).shuffle(UPPER_HALF).op("f64x2.promote_low_f32x4").get(pv).op("f64x2.mul").op("f64x2.add").memory("v128.store", 16);
  f.get(ap).i32Const(32).op("i32.add").set(ap);
  f.get(src).i32Const(16).op("i32.add").variable("local.tee", src).get(stop).op("i32.lt_u").brIf(0);
  f.end();
  f.get(kv).i32Const(4).op("i32.add").set(kv);
  f.get(ph).get(P_STRIDE).op("i32.add").set(ph);
  f.get(h).i32Const(1).op("i32.sub").variable("local.tee", h).brIf(0);
  f.end();
  f.get(P).i32Const(8).op("i32.add").set(P); // the next position's weights
  f.get(ROWS).get(STRIDE).op("i32.add").set(ROWS);
  f.get(T).i32Const(1).op("i32.sub").variable("local.tee", T).brIf(0);
  f.end();
  // out = f32(acc)
  f.get(ACC).set(i);
  f.get(OUT).set(ap);
  f.open("loop");
  f.get(ap).get(i).memory("v128.load").op("f32x4.demote_f64x2_zero").get(i).memory("v128.load", 16).op("f32x4.demote_f64x2_zero").shuffle(LOW_HALVES).memory("v128.store");
  f.get(ap).i32Const(16).op("i32.add").set(ap);
  f.get(i).i32Const(32).op("i32.add").variable("local.tee", i).get(end).op("i32.lt_u").brIf(0);
  f.end();
  f.end();
  return f;
}


/** Heads per step of the dots kernel (two per f64x2, two chains): the driver gives it a multiple of this. */
export const DOTS_HEADS = 4;

/**
 * Emits `name(qp, kvo, rows, stride, H, D, T, out)`: `qp` float64 pairs
 * `[H/2][D][2]` (lane pair (q[2i][d], q[2i + 1][d])), `kvo` int32 `[H]`
 * (bytes), position t's row at `rows + t·stride` (bytes), `out` float64
 * `[T][H]`: out[t][h] = Σ_d q[h][d]·row_t[kvo[h] + d], each sum in d order
 * from +0 (a head per lane); `H` a multiple of 4, `D` of 4.
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitHeadsDotsF64("heads_dots_f64")] });
 * ```
 */
export function emitHeadsDotsF64(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [QP, KVO, ROWS, STRIDE, H, D, T, OUT] = [0, 1, 2, 3, 4, 5, 6, 7];
  const h = f.local("i32");
  const kv = f.local("i32");
  const q = f.local("i32"); // this step's first q pair
  const o = f.local("i32"); // column offset in a row (bytes); 4·o in the q pairs
  const k = Array.from({ length: DOTS_HEADS }, () => f.local("i32"));
  const acc = [f.local("v128"), f.local("v128")];
  const a = f.local("v128");
  const b = f.local("v128");
  const lo = f.local("v128");
  const hi = f.local("v128");
  const qStep = (): FunctionBuilder => f.get(D).i32Const(4).op("i32.shl"); // one q pair row: D·16 bytes

  f.open("block");
  f.get(T).op("i32.eqz").brIf(0);
  f.get(H).op("i32.eqz").brIf(0);
  f.get(D).op("i32.eqz").brIf(0);
  f.open("loop"); // over positions
  f.get(H).set(h);
  f.get(KVO).set(kv);
  f.get(QP).set(q);
  f.open("loop"); // over steps of four heads
  for (let j = 0; j < DOTS_HEADS; j++) f.get(ROWS).get(kv).memory("i32.load", 4 * j).op("i32.add").set(k[j]);
  for (const x of acc) f.v128Const(V128_ZERO).set(x);
  f.i32Const(0).set(o);
  f.open("loop"); // over columns, four at a time
  for (let p = 0; p < 2; p++) {
    f.get(k[2 * p]).get(o).op("i32.add").memory("v128.load").set(a);
    f.get(k[2 * p + 1]).get(o).op("i32.add").memory("v128.load").set(b);
    f.get(a).get(b).shuffle(INTERLEAVE_LOW).set(lo);
    f.get(a).get(b).shuffle(INTERLEAVE_HIGH).set(hi);
    for (let c = 0; c < 4; c++) {
      const src = c < 2 ? lo : hi;
      f.get(acc[p]);
      if (c % 2 === 0) f.get(src);
      else f.get(src).get(src).shuffle(UPPER_HALF);
      f.op("f64x2.promote_low_f32x4");
      f.get(q);
      if (p === 1) qStep().op("i32.add");
      f.get(o).i32Const(2).op("i32.shl").op("i32.add").memory("v128.load", 16 * c);
      f.op("f64x2.mul").op("f64x2.add").set(acc[p]);
    }
  }
  f.get(o).i32Const(16).op("i32.add").variable("local.tee", o).get(D).i32Const(2).op("i32.shl").op("i32.lt_u").brIf(0);
  f.end();
  f.get(OUT).get(acc[0]).memory("v128.store");
  f.get(OUT).get(acc[1]).memory("v128.store", 16);
  f.get(OUT).i32Const(32).op("i32.add").set(OUT);
  f.get(kv).i32Const(4 * DOTS_HEADS).op("i32.add").set(kv);
  f.get(q);
  qStep().i32Const(1).op("i32.shl").op("i32.add").set(q);
  f.get(h).i32Const(DOTS_HEADS).op("i32.sub").variable("local.tee", h).brIf(0);
  f.end();
  f.get(ROWS).get(STRIDE).op("i32.add").set(ROWS);
  f.get(T).i32Const(1).op("i32.sub").variable("local.tee", T).brIf(0);
  f.end();
  f.end();
  return f;
}
