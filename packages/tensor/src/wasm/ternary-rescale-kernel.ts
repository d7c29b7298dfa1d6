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
import { FunctionBuilder } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

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
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [SUMS, CORR, WSCALE, XSCALE, PER_GROUP, OUT, ROWS, GROUPS] = [0, 1, 2, 3, 4, 5, 6, 7];
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
  f.v128Const(new Array<number>(16).fill(0)).set(prev);
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
