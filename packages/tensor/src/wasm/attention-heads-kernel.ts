// The WebAssembly SIMD kernel of attention's weighted sums for all heads at
// once, walking the cached values position by position (each row read from
// start to end, the order it lies in memory), in float64 and in the order
// of its JavaScript twin (attention-heads.ts), so the results are
// bit-identical to it: out[h·D + d] = f32(Σ_t p[h][t]·rows[t][kvo[h] + d]),
// each sum in float64 in t order from +0. The sums live in a float64 block
// of the kernels' memory, and each position adds its terms to every column.
// `kvo[h]` is the byte offset of query head h's value slice in a row
// (h / G · D floats with G query heads per kv head). Walking the heads of
// one position, rather than one head's positions at a cache row's stride,
// reads the cache as one stream: a decode step's cache is far from the CPU
// caches (the step's weights passed through them since). The dots of
// attention stay one head at a time (row-dots-kernel.ts). Two positions per
// pass (two terms into each sum before storing it) took twice as long at
// 200 positions (3.8-4.4 against 1.9-2.1 ms), so one position per pass.
// Measured in attention-heads.ts.
import { FunctionBuilder, V128_ZERO, lanes32 } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

const UPPER = lanes32([2, 3, 2, 3]); // lanes 2, 3 down to 0, 1

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
  f.get(ap).get(ap).memory("v128.load", 16).get(v).get(v).shuffle(UPPER).op("f64x2.promote_low_f32x4").get(pv).op("f64x2.mul").op("f64x2.add").memory("v128.store", 16);
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
  f.get(ap).get(i).memory("v128.load").op("f32x4.demote_f64x2_zero").get(i).memory("v128.load", 16).op("f32x4.demote_f64x2_zero").shuffle(lanes32([0, 1, 4, 5])).memory("v128.store");
  f.get(ap).i32Const(16).op("i32.add").set(ap);
  f.get(i).i32Const(32).op("i32.add").variable("local.tee", i).get(end).op("i32.lt_u").brIf(0);
  f.end();
  f.end();
  return f;
}
