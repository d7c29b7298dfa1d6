// WebAssembly SIMD kernels of symmetric int8 quantization on float32 rows
// (AbsMax activations): the largest |x| of a range, and the codes
// clamp(round(x · scale), lo, hi) with the scale in float64, rounded ties to
// even (f64x2.nearest) or away from zero (trunc, then ±1 where the exact
// fraction is at least 1/2); and llama.cpp's Q8_K form, the product rounded
// to float32 first, then to an integer, ties to even (f32x4.nearest). Every
// step is the arithmetic of the JavaScript twins (int8-rows.ts), so the
// codes are the same. Measured there.
import { FunctionBuilder, LOW_HALVES, UPPER_HALF, V128_ZERO, f64x2Bytes } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

const SIGN = f64x2Bytes(-0);

/** float32 values per step of both kernels (one i8x16 of codes). */
export const INT8_ROWS_STEP = 16;

/**
 * Emits `name(src, steps, out)`: the lane-wise max of |x| over
 * `16·steps` float32 values at `src`, as one f32x4 stored at `out` (NaN in
 * a lane where any of its values is NaN: `f32x4.max` propagates it).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitAbsMaxF32("absmax_f32")] });
 * ```
 */
export function emitAbsMaxF32(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [SRC, N, OUT] = [0, 1, 2];
  const acc = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")]; // four chains
  for (const a of acc) f.v128Const(V128_ZERO).set(a);
  f.open("block");
  f.get(N).op("i32.eqz").brIf(0);
  f.open("loop");
  for (let v = 0; v < 4; v++) f.get(acc[v]).get(SRC).memory("v128.load", 16 * v).op("f32x4.abs").op("f32x4.max").set(acc[v]);
  f.get(SRC).i32Const(64).op("i32.add").set(SRC);
  f.get(N).i32Const(1).op("i32.sub").variable("local.tee", N).brIf(0);
  f.end();
  f.end();
  f.get(OUT).get(acc[0]).get(acc[1]).op("f32x4.max").get(acc[2]).get(acc[3]).op("f32x4.max").op("f32x4.max").memory("v128.store");
  return f;
}

/**
 * Emits `name(src, steps, dst, scale, qp, away)`: for `16·steps` float32
 * values at `src`, the int8 codes clamp(round(x · scale), -qp - 1, qp) at
 * `dst` (`scale` a float64; ties to even, or away from zero when `away` is
 * not 0). Values must be finite and |x · scale| below 2^31.
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitQuantizeInt8("quantize_i8")] });
 * ```
 */
export function emitQuantizeInt8(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "f64", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [SRC, N, DST, SCALE, QP, AWAY] = [0, 1, 2, 3, 4, 5];
  const sc = f.local("v128");
  const hi = f.local("v128");
  const lo = f.local("v128");
  const sign = f.local("v128");
  const one = f.local("v128");
  const half = f.local("v128");
  const x = f.local("v128");
  const y = Array.from({ length: 8 }, () => f.local("v128"));
  const t = f.local("v128");
  const e = Array.from({ length: 4 }, () => f.local("v128"));

  f.get(SCALE).op("f64x2.splat").set(sc);
  f.get(QP).op("f64.convert_i32_s").op("f64x2.splat").set(hi);
  f.i32Const(-1).get(QP).op("i32.sub").op("f64.convert_i32_s").op("f64x2.splat").set(lo);
  f.v128Const(SIGN).set(sign);
  f.v128Const(f64x2Bytes(1)).set(one);
  f.v128Const(f64x2Bytes(0.5)).set(half);
  f.open("block");
  f.get(N).op("i32.eqz").brIf(0);
  f.open("loop");
  // x · scale in float64, two values per lane pair
  for (let v = 0; v < 4; v++) {
    f.get(SRC).memory("v128.load", 16 * v).set(x);
    f.get(x).op("f64x2.promote_low_f32x4").get(sc).op("f64x2.mul").set(y[2 * v]);
    f.get(x).get(x).shuffle(UPPER_HALF).op("f64x2.promote_low_f32x4").get(sc).op("f64x2.mul").set(y[2 * v + 1]);
  }
  f.get(AWAY).open("if");
  // away from zero: t = trunc(y); t ± 1 where |y - t| >= 1/2 (y - t is exact)
  for (const yi of y) {
    f.get(yi).op("f64x2.trunc").set(t);
    f.get(t).get(yi).get(sign).op("v128.and").get(one).op("v128.or");
    f.get(yi).get(t).op("f64x2.sub").op("f64x2.abs").get(half).op("f64x2.ge").op("v128.and").op("f64x2.add").set(yi);
  }
  f.else();
  for (const yi of y) f.get(yi).op("f64x2.nearest").set(yi);
  f.end();
  // clamp, then float64 -> float32 (exact: small integers) -> int32 -> int16 -> int8
  for (let v = 0; v < 4; v++) {
    for (const h of [0, 1]) f.get(y[2 * v + h]).get(hi).op("f64x2.pmin").get(lo).op("f64x2.pmax").op("f32x4.demote_f64x2_zero").set(y[2 * v + h]);
    f.get(y[2 * v]).get(y[2 * v + 1]).shuffle(LOW_HALVES).op("i32x4.trunc_sat_f32x4_s").set(e[v]);
  }
  storeCodesAndStep(f, e, SRC, N, DST);
  return f;
}

/**
 * Emits `name(src, steps, dst, scale)`: for `16·steps` float32 values at
 * `src`, the int8 codes clamp(round(f32(x · scale)), -128, 127) at `dst`:
 * the product rounded to float32 (`scale` a float32), then to an integer,
 * ties to even (Q8_K's rounding).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitQuantizeInt8F32("quantize_i8_f32")] });
 * ```
 */
export function emitQuantizeInt8F32(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "f32"];
  const f = new FunctionBuilder(name, params, []);
  const [SRC, N, DST, SCALE] = [0, 1, 2, 3];
  const sc = f.local("v128");
  const e = Array.from({ length: 4 }, () => f.local("v128"));
  f.get(SCALE).op("f32x4.splat").set(sc);
  f.open("block");
  f.get(N).op("i32.eqz").brIf(0);
  f.open("loop");
  // NaN and the int32 range: trunc_sat maps them to 0 and the extremes, the narrows saturate to -128..127
  for (let v = 0; v < 4; v++) f.get(SRC).memory("v128.load", 16 * v).get(sc).op("f32x4.mul").op("f32x4.nearest").op("i32x4.trunc_sat_f32x4_s").set(e[v]);
  storeCodesAndStep(f, e, SRC, N, DST);
  return f;
}

/**
 * The end of both quantize loops: the four int32 vectors `e` narrowed
 * (saturating) to one i8x16 stored at `dst`, the pointers advanced by one
 * step, the loop and the block closed.
 */
function storeCodesAndStep(f: FunctionBuilder, e: readonly number[], src: number, n: number, dst: number): void {
  f.get(dst);
  f.get(e[0]).get(e[1]).op("i16x8.narrow_i32x4_s").get(e[2]).get(e[3]).op("i16x8.narrow_i32x4_s").op("i8x16.narrow_i16x8_s");
  f.memory("v128.store");
  f.get(src).i32Const(64).op("i32.add").set(src);
  f.get(dst).i32Const(16).op("i32.add").set(dst);
  f.get(n).i32Const(1).op("i32.sub").variable("local.tee", n).brIf(0);
  f.end();
  f.end();
}
