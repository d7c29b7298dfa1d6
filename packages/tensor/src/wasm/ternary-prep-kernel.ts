// The WebAssembly SIMD kernel that lays out one token's int8 activations for
// the ternary kernel (ternary-kernel.ts describes the layout): per block of
// 64 values, vector j (8 int16 lanes) holds x'_(8l+j) in lane l, with
// x' = x in fields 0 and 1 and x_k - 4·x_(k-1) in fields 2..7; and the
// int32 sum of x over each scale group (the correction for the codes' +1).
// The same values as prepareTernaryJob's JavaScript loop (ternary-wasm.ts),
// which stays its plain twin.
//
// Per block: four loads, eight byte shuffles that transpose the 8x8 fields,
// eight sign extensions, six shift-subtracts, eight stores; the group sums
// in int16 lanes (|x| <= 128, eight values a lane per block) widened by a
// dot with ones.
import { FunctionBuilder, V128_ZERO, lanes32 } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

/** Shuffle bytes taking, for fields j = j0..j0+3, bytes j and 8 + j of each operand's two 8-byte halves: lanes l = 0..3 of those fields. */
function fieldBytes(j0: number): number[] {
  return [0, 1, 2, 3].flatMap((i) => [j0 + i, 8 + j0 + i, 16 + j0 + i, 24 + j0 + i]);
}
/** Shuffle bytes joining 4-byte word w of the first operand (lanes 0..3) and of the second (lanes 4..7), for words w0 and w0 + 1. */
function joinWords(w0: number): number[] {
  return lanes32([w0, w0 + 4, w0 + 1, w0 + 5]);
}

/**
 * Emits `name(x, blocks, groupBlocks, xv, corr)`: reads `64·blocks` int8
 * values at `x` (zeros past the row's end), writes `blocks` blocks of 8
 * int16 vectors at `xv` (128 bytes a block) and one int32 sum per run of
 * `groupBlocks` blocks (the last run may be shorter) at `corr`. Pointers in
 * bytes; `blocks` and `groupBlocks` >= 1.
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitTernaryPrep("ternary_prep")] });
 * ```
 */
export function emitTernaryPrep(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [X, BLOCKS, GROUP_BLOCKS, XV, CORR] = [0, 1, 2, 3, 4];
  const rem = f.local("i32");
  const b = f.local("i32");
  const a = Array.from({ length: 4 }, () => f.local("v128")); // the block's 64 bytes
  const lo = f.local("v128"); // fields 0..3, lanes 0..3 (from a0, a1); then joined pairs
  const hi = f.local("v128"); // fields 4..7, lanes 0..3
  const lo2 = f.local("v128"); // fields 0..3, lanes 4..7 (from a2, a3)
  const hi2 = f.local("v128"); // fields 4..7, lanes 4..7
  const pair = f.local("v128");
  const prev = f.local("v128");
  const cur = f.local("v128");
  const sum16 = f.local("v128");
  const group = f.local("v128");
  const ones = f.local("v128");

  f.i32Const(1).op("i16x8.splat").set(ones);
  f.open("block");
  f.get(BLOCKS).op("i32.eqz").brIf(0);
  f.get(GROUP_BLOCKS).op("i32.eqz").brIf(0);
  f.get(BLOCKS).set(rem);
  f.open("loop"); // over runs of groupBlocks blocks
  f.get(GROUP_BLOCKS).set(b);
  f.get(rem).get(GROUP_BLOCKS).op("i32.lt_u").open("if").get(rem).set(b).end();
  f.get(rem).get(b).op("i32.sub").set(rem);
  f.v128Const(V128_ZERO).set(group);
  f.open("loop"); // over blocks
  for (let i = 0; i < 4; i++) f.get(X).memory("v128.load", 16 * i).set(a[i]);
  f.get(a[0]).get(a[1]).shuffle(fieldBytes(0)).set(lo);
  f.get(a[0]).get(a[1]).shuffle(fieldBytes(4)).set(hi);
  f.get(a[2]).get(a[3]).shuffle(fieldBytes(0)).set(lo2);
  f.get(a[2]).get(a[3]).shuffle(fieldBytes(4)).set(hi2);
  f.v128Const(V128_ZERO).set(sum16);
  for (let j = 0; j < 8; j++) {
    // fields j and j+1 as 16 bytes (lanes 0..7 each), once per pair
    if (j % 2 === 0) {
      const [first, second] = j < 4 ? [lo, lo2] : [hi, hi2];
      f.get(first).get(second).shuffle(joinWords(j % 4)).set(pair);
    }
    f.get(pair).op(j % 2 === 0 ? "i16x8.extend_low_i8x16_s" : "i16x8.extend_high_i8x16_s").set(cur);
    f.get(sum16).get(cur).op("i16x8.add").set(sum16);
    f.get(XV);
    if (j < 2) f.get(cur);
    else f.get(cur).get(prev).i32Const(2).op("i16x8.shl").op("i16x8.sub");
    f.memory("v128.store", 16 * j);
    f.get(cur).set(prev);
  }
  f.get(group).get(sum16).get(ones).op("i32x4.dot_i16x8_s").op("i32x4.add").set(group);
  f.get(X).i32Const(64).op("i32.add").set(X);
  f.get(XV).i32Const(128).op("i32.add").set(XV);
  f.get(b).i32Const(1).op("i32.sub").variable("local.tee", b).brIf(0);
  f.end();
  // the run's sum: the four int32 lanes added
  f.get(CORR);
  f.get(group).lane("i32x4.extract_lane", 0).get(group).lane("i32x4.extract_lane", 1).op("i32.add");
  f.get(group).lane("i32x4.extract_lane", 2).op("i32.add").get(group).lane("i32x4.extract_lane", 3).op("i32.add");
  f.memory("i32.store");
  f.get(CORR).i32Const(4).op("i32.add").set(CORR);
  f.get(rem).brIf(0);
  f.end();
  f.end();
  return f;
}
