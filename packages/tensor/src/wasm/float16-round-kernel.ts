// The WebAssembly SIMD kernel of roundFloat16Range (float16-round.ts):
// float32 values rounded to the nearest binary16 value (ties to even) and
// kept as float32, four per step, each lane as the plain twin computes it:
//
// - |x| in binary16's normal range (2^-14 <= |x| < 65520): on the float32
//   bits, add just under half a binary16 ulp (0xfff) plus the lowest kept
//   bit (ties to even), then clear the 13 dropped mantissa bits; a carry
//   runs into the exponent, as rounding up to the next binade should.
// - |x| below 2^-14 (binary16 subnormals and zero): (|x| + 0.5) - 0.5 in
//   float32, which rounds |x| to a multiple of 2^-24 (the ulp of 0.5 in
//   float32, and binary16's subnormal spacing), ties to even; exact.
// - |x| >= 65520 (and infinity): infinity. NaN stays NaN (its bits kept).
// The sign is put back last, so -0 stays -0.
import { FunctionBuilder } from "./code-builder.js";
import type { ValType } from "./opcodes.js";

/** Values per step of the kernel: the driver gives it a multiple of this. */
export const FLOAT16_ROUND_STEP = 4;

/** The float32 bits of 65520: from here up a float32 rounds to binary16 infinity. */
export const F16_OVERFLOW_BITS = 0x477ff000;
/** The float32 bits of 2^-14, binary16's smallest normal value. */
export const F16_MIN_NORMAL_BITS = 0x38800000;

/**
 * Emits `name(src, dst, steps)`: `steps` x 4 float32 values at `src`
 * rounded to binary16 precision into `dst` (which may be `src`).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitRoundFloat16F32("round_f16_f32")] });
 * ```
 */
export function emitRoundFloat16F32(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [SRC, DST, STEPS] = [0, 1, 2];
  const u = f.local("v128");
  const a = f.local("v128");
  const r = f.local("v128");
  const splat = (v: number): FunctionBuilder => f.i32Const(v).op("i32x4.splat");

  f.open("block");
  f.get(STEPS).op("i32.eqz").brIf(0);
  f.open("loop");
  f.get(SRC).memory("v128.load").set(u);
  f.get(u);
  splat(0x7fffffff).op("v128.and").set(a);
  // the normal-range rounding: (a + 0xfff + ((a >>> 13) & 1)) & 0x7fffe000
  f.get(a);
  splat(0xfff).op("i32x4.add");
  f.get(a).i32Const(13).op("i32x4.shr_u");
  splat(1).op("v128.and").op("i32x4.add");
  splat(0x7fffe000).op("v128.and");
  // below it: (|x| + 0.5) - 0.5 in float32
  f.get(a).f32Const(0.5).op("f32x4.splat").op("f32x4.add").f32Const(0.5).op("f32x4.splat").op("f32x4.sub");
  f.get(a);
  splat(F16_MIN_NORMAL_BITS).op("i32x4.ge_s").op("v128.bitselect").set(r);
  // overflow to infinity; NaN kept
  splat(0x7f800000).get(r).get(a);
  splat(F16_OVERFLOW_BITS).op("i32x4.ge_s").op("v128.bitselect").set(r);
  f.get(a).get(r).get(a);
  splat(0x7f800000).op("i32x4.gt_s").op("v128.bitselect");
  // the sign back
  f.get(u);
  splat(0x7fffffff).op("v128.andnot").op("v128.or").set(r);
  f.get(DST).get(r).memory("v128.store");
  f.get(SRC).i32Const(16).op("i32.add").set(SRC);
  f.get(DST).i32Const(16).op("i32.add").set(DST);
  f.get(STEPS).i32Const(1).op("i32.sub").variable("local.tee", STEPS).brIf(0);
  f.end();
  f.end();
  return f;
}
