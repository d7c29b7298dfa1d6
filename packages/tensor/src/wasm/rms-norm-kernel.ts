// The WebAssembly kernel of RMSNorm on float32 rows in ggml's steps (the
// order of its JavaScript twin, rms-norm-wasm.ts, so the bits agree): each
// square rounded to float32 and summed in float64 in order (one scalar
// chain: another order could round differently), mean = f32(Σ / C),
// scale = f32(1 / f32(√f32(mean + eps))), then y = f32(x · scale) and
// f32(y · weight) four lanes at a time.
import { FunctionBuilder } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

/**
 * Emits `name(x, C, rows, weight, out, eps, weighted)`: `rows` rows of `C`
 * float32 values at `x` (C a multiple of 4) normalized into `out` (which
 * may be `x`), times the `C` values at `weight` when `weighted` is not 0;
 * `eps` a float32.
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitRmsNormF32("rms_norm_f32")] });
 * ```
 */
export function emitRmsNormF32(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32", "f32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [X, C, ROWS, W, OUT, EPS, WEIGHTED] = [0, 1, 2, 3, 4, 5, 6];
  const p = f.local("i32");
  const end = f.local("i32");
  const q = f.local("i32");
  const wp = f.local("i32");
  const sum = f.local("f64");
  const scale = f.local("v128");
  const v = f.local("f32");
  const y = f.local("v128");

  f.open("block");
  f.get(ROWS).op("i32.eqz").brIf(0);
  f.get(C).op("i32.eqz").brIf(0);
  f.open("loop"); // over rows
  f.get(X).get(C).i32Const(2).op("i32.shl").op("i32.add").set(end);
  // Σ f32(x²) in float64, in order, four values per iteration (C is a multiple of 4)
  f.f64Const(0).set(sum);
  f.get(X).set(p);
  f.open("loop");
  for (let i = 0; i < 4; i++) {
    f.get(p).memory("f32.load", 4 * i).variable("local.tee", v).get(v).op("f32.mul").op("f64.promote_f32");
    f.get(sum).op("f64.add").set(sum);
  }
  f.get(p).i32Const(16).op("i32.add").variable("local.tee", p).get(end).op("i32.lt_u").brIf(0);
  f.end();
  // scale = f32(1 / f32(√f32(f32(Σ / C) + eps)))
  f.f32Const(1).get(sum).get(C).op("f64.convert_i32_s").op("f64.div").op("f32.demote_f64").get(EPS).op("f32.add").op("f32.sqrt").op("f32.div");
  f.op("f32x4.splat").set(scale);
  // y = f32(x · scale), then f32(y · weight)
  f.get(X).set(p);
  f.get(OUT).set(q);
  f.get(W).set(wp);
  f.open("loop");
  f.get(p).memory("v128.load").get(scale).op("f32x4.mul").set(y);
  f.get(WEIGHTED).open("if");
  f.get(y).get(wp).memory("v128.load").op("f32x4.mul").set(y);
  f.end();
  f.get(q).get(y).memory("v128.store");
  f.get(p).i32Const(16).op("i32.add").set(p);
  f.get(wp).i32Const(16).op("i32.add").set(wp);
  f.get(q).i32Const(16).op("i32.add").variable("local.tee", q).get(OUT).get(C).i32Const(2).op("i32.shl").op("i32.add").op("i32.lt_u").brIf(0);
  f.end();
  f.get(X).get(C).i32Const(2).op("i32.shl").op("i32.add").set(X);
  f.get(OUT).get(C).i32Const(2).op("i32.shl").op("i32.add").set(OUT);
  f.get(ROWS).i32Const(1).op("i32.sub").variable("local.tee", ROWS).brIf(0);
  f.end();
  f.end();
  return f;
}
