// The WebAssembly rescale step of the ternary matmul: from the kernel's int32
// sums per (row, scale group) to the float32 outputs, in float64 and in the
// reference's order of operations (ternary-reference.ts), so the result is
// bit-identical to it:
//
//   one divisor per token:  out[r] = f32((Σ_g w[r,g]·(s[r,g] - corr[g])) / xs)
//   one divisor per group:  out[r] = f32(Σ_g (w[r,g]·(s[r,g] - corr[g])) / xs[g])
//
// with the sum started at +0 and taken in g order, as the JavaScript loop
// does. `corr[g]` is Σ x over group g (the +1 of the codes c = t + 1).
// Two functions: one row at a time, and four rows at a time in f64x2 lanes
// (the same operations per row, so the same bits), which the driver uses
// for all but the last rows % 4.
import { FunctionBuilder, LOW_HALVES, UPPER_HALF, V128_ZERO, lanes32 } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

/** Both functions' parameters: `(sums, corr, wScale, xScale, perGroup, out, rows, groups)`, all i32, and their local indices. */
const PARAMS: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"];
const [SUMS, CORR, WSCALE, XSCALE, PER_GROUP, OUT, ROWS, GROUPS] = [0, 1, 2, 3, 4, 5, 6, 7];

/**
 * Emits `name(sums, corr, wScale, xScale, perGroup, out, rows, groups)` for
 * one token: `sums` int32 `[rows, groups, 4]`, the kernel's cumulative lane
 * sums at the end of each group (a group's sum is the lanes of its vector
 * minus the previous one's, added; int32 arithmetic wraps, the true sums are small), `corr` int32 `[groups]`, `wScale`
 * float64 `[rows, groups]`, `xScale` float64 (`[groups]` when `perGroup` is
 * 1, else one value; float64 holds any float32 or float64 divisor exactly), `out` float32 `[rows]`; pointers in bytes, `groups` >= 1.
 *
 * @example
 * ```ts
 * const f = emitTernaryRescale("ternary_rescale");
 * encodeModule({ memoryMinPages: 1, functions: [f] }); // a module exporting ternary_rescale
 * ```
 */
export function emitTernaryRescale(name: string): FunctionBuilder {
  const f = new FunctionBuilder(name, PARAMS, []);
  const g = f.local("i32");
  const cp = f.local("i32");
  const xp = f.local("i32");
  const y = f.local("f64");
  const p = f.local("f64");
  const prev = f.local("v128"); // the previous run's cumulative lane sums
  const d = f.local("v128");

  f.open("block");
  f.get(ROWS).op("i32.eqz").brIf(0);
  f.get(GROUPS).op("i32.eqz").brIf(0);
  f.open("loop"); // over rows
  f.i32Const(0).op("f64.convert_i32_s").set(y); // +0, as `let y = 0`
  f.get(GROUPS).set(g);
  f.get(CORR).set(cp);
  f.get(XSCALE).set(xp);
  f.v128Const(V128_ZERO).set(prev);
  f.open("loop"); // over groups
  // p = w · f64(s - corr)
  f.get(WSCALE).memory("f64.load");
  // this group's sum: the lanes of (cumulative - previous cumulative), added
  f.get(SUMS).memory("v128.load").variable("local.tee", d).get(prev).op("i32x4.sub").get(d).set(prev).set(d);
  f.get(d).lane("i32x4.extract_lane", 0).get(d).lane("i32x4.extract_lane", 1).op("i32.add");
  f.get(d).lane("i32x4.extract_lane", 2).get(d).lane("i32x4.extract_lane", 3).op("i32.add").op("i32.add");
  f.get(cp).memory("i32.load").op("i32.sub").op("f64.convert_i32_s");
  f.op("f64.mul").set(p);
  f.get(PER_GROUP).open("if");
  f.get(p).get(xp).memory("f64.load").op("f64.div").set(p);
  f.end();
  f.get(y).get(p).op("f64.add").set(y);
  f.get(SUMS).i32Const(16).op("i32.add").set(SUMS);
  f.get(WSCALE).i32Const(8).op("i32.add").set(WSCALE);
  f.get(cp).i32Const(4).op("i32.add").set(cp);
  f.get(xp).i32Const(8).op("i32.add").set(xp);
  f.get(g).i32Const(1).op("i32.sub").variable("local.tee", g).brIf(0);
  f.end();
  f.get(PER_GROUP).op("i32.eqz").open("if");
  f.get(y).get(XSCALE).memory("f64.load").op("f64.div").set(y);
  f.end();
  f.get(OUT).get(y).op("f32.demote_f64").memory("f32.store");
  f.get(OUT).i32Const(4).op("i32.add").set(OUT);
  f.get(ROWS).i32Const(1).op("i32.sub").variable("local.tee", ROWS).brIf(0);
  f.end();
  f.end();
  return f;
}

/**
 * Emits `name(sums, corr, wScale, xScale, perGroup, out, rows, groups)`, the
 * rescale of {@link emitTernaryRescale} four rows at a time: `rows` must be
 * a multiple of 4 (the driver runs the remaining rows on the one-row
 * function). Each row's float64 operations are the one-row function's, in
 * the same order (a row per f64x2 lane instead of a scalar), so the outputs
 * are bit-identical to it; only the integer lane sums are added in another
 * order, which integers do not notice. Measured on this machine (Node 20,
 * one thread, the 168 products of a decode step of the large-shaped model
 * with Q8_K groups, medians of 30): 32.0-33.1 ms with the one-row function,
 * 29.9-30.6 ms with this one.
 *
 * @example
 * ```ts
 * const f = emitTernaryRescale4("ternary_rescale4");
 * encodeModule({ memoryMinPages: 1, functions: [f] }); // a module exporting ternary_rescale4
 * ```
 */
export function emitTernaryRescale4(name: string): FunctionBuilder {
  const f = new FunctionBuilder(name, PARAMS, []);
  const g = f.local("i32");
  const cp = f.local("i32");
  const xp = f.local("i32");
  const sumsStride = f.local("i32"); // bytes from one row's sums to the next: 16·groups
  const wStride = f.local("i32"); // bytes from one row's scales to the next: 8·groups
  const sp = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")];
  const wp = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")];
  const prev = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const t = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const cur = f.local("v128");
  const c = f.local("v128");
  const y01 = f.local("v128");
  const y23 = f.local("v128");
  const p01 = f.local("v128");
  const p23 = f.local("v128");
  const xv = f.local("v128");

  f.open("block");
  f.get(ROWS).op("i32.eqz").brIf(0);
  f.get(GROUPS).op("i32.eqz").brIf(0);
  f.get(GROUPS).i32Const(4).op("i32.shl").set(sumsStride);
  f.get(GROUPS).i32Const(3).op("i32.shl").set(wStride);
  f.open("loop"); // over blocks of four rows
  f.v128Const(V128_ZERO).set(y01); // +0 in both lanes, as `let y = 0`
  f.v128Const(V128_ZERO).set(y23);
  for (let k = 0; k < 4; k++) {
    f.v128Const(V128_ZERO).set(prev[k]);
    if (k === 0) {
      f.get(SUMS).set(sp[0]);
      f.get(WSCALE).set(wp[0]);
    } else {
      f.get(sp[k - 1]).get(sumsStride).op("i32.add").set(sp[k]);
      f.get(wp[k - 1]).get(wStride).op("i32.add").set(wp[k]);
    }
  }
  f.get(GROUPS).set(g);
  f.get(CORR).set(cp);
  f.get(XSCALE).set(xp);
  f.open("loop"); // over groups
  // each row's group sum lanes: cumulative minus the previous cumulative
  for (let k = 0; k < 4; k++) {
    f.get(sp[k]).memory("v128.load").variable("local.tee", cur).get(prev[k]).op("i32x4.sub").set(t[k]);
    f.get(cur).set(prev[k]);
  }
  // the four rows' lane totals in one vector: pairs of lanes, then pairs of pairs
  f.get(t[0]).get(t[1]).shuffle(LOW_HALVES).get(t[0]).get(t[1]).shuffle(lanes32([2, 3, 6, 7])).op("i32x4.add").set(cur);
  f.get(t[2]).get(t[3]).shuffle(LOW_HALVES).get(t[2]).get(t[3]).shuffle(lanes32([2, 3, 6, 7])).op("i32x4.add").set(c);
  f.get(cur).get(c).shuffle(lanes32([0, 2, 4, 6])).get(cur).get(c).shuffle(lanes32([1, 3, 5, 7])).op("i32x4.add");
  f.get(cp).memory("v128.load32_splat").op("i32x4.sub").set(c);
  // p = w · f64(s - corr), rows 0-1 and 2-3
  f.get(wp[0]).memory("v128.load64_zero").get(wp[1]).memory("f64.load").lane("f64x2.replace_lane", 1);
  f.get(c).op("f64x2.convert_low_i32x4_s").op("f64x2.mul").set(p01);
  f.get(wp[2]).memory("v128.load64_zero").get(wp[3]).memory("f64.load").lane("f64x2.replace_lane", 1);
  f.get(c).get(c).shuffle(UPPER_HALF).op("f64x2.convert_low_i32x4_s").op("f64x2.mul").set(p23);
  f.get(PER_GROUP).open("if");
  f.get(xp).memory("v128.load64_splat").set(xv);
  f.get(p01).get(xv).op("f64x2.div").set(p01);
  f.get(p23).get(xv).op("f64x2.div").set(p23);
  f.end();
  f.get(y01).get(p01).op("f64x2.add").set(y01);
  f.get(y23).get(p23).op("f64x2.add").set(y23);
  for (let k = 0; k < 4; k++) {
    f.get(sp[k]).i32Const(16).op("i32.add").set(sp[k]);
    f.get(wp[k]).i32Const(8).op("i32.add").set(wp[k]);
  }
  f.get(cp).i32Const(4).op("i32.add").set(cp);
  f.get(xp).i32Const(8).op("i32.add").set(xp);
  f.get(g).i32Const(1).op("i32.sub").variable("local.tee", g).brIf(0);
  f.end();
  f.get(PER_GROUP).op("i32.eqz").open("if");
  f.get(XSCALE).memory("v128.load64_splat").set(xv);
  f.get(y01).get(xv).op("f64x2.div").set(y01);
  f.get(y23).get(xv).op("f64x2.div").set(y23);
  f.end();
  f.get(OUT).get(y01).op("f32x4.demote_f64x2_zero").get(y23).op("f32x4.demote_f64x2_zero").shuffle(LOW_HALVES).memory("v128.store");
  f.get(OUT).i32Const(16).op("i32.add").set(OUT);
  f.get(SUMS).get(sumsStride).i32Const(2).op("i32.shl").op("i32.add").set(SUMS);
  f.get(WSCALE).get(wStride).i32Const(2).op("i32.shl").op("i32.add").set(WSCALE);
  f.get(ROWS).i32Const(4).op("i32.sub").variable("local.tee", ROWS).brIf(0);
  f.end();
  f.end();
  return f;
}
