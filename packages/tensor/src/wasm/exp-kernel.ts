// e^x in WebAssembly SIMD, two float64 lanes at a time, as fdlibm's
// __ieee754_exp computes it (the algorithm of V8's Math.exp, base/ieee754:
// 20 million random inputs gave the same bits), so that f32(e^x) equals
// Math.fround(Math.exp(x)) for every float32 x. fdlibm's branches become
// lane selects:
//
// - |x| > ln2/2: k = round(x/ln2) (trunc(x/ln2 ± 1/2); ±1 below 1.5·ln2),
//   hi = x - k·ln2HI, lo = k·ln2LO, r = hi - lo;
//   otherwise k = 0, hi = x, lo = 0, r = x (fdlibm's k = 0 formula,
//   1 - ((x·c)/(c - 2) - x), is the general one with lo = 0: the same bits);
// - c = r - r²·(P1 + r²·(P2 + r²·(P3 + r²·(P4 + r²·P5)))),
//   y = 1 - ((lo - (r·c)/(2 - c)) - hi), e^x = y·2^k;
// - |x| < 2^-28: 1 + x.
//
// Two steps are cheaper than a literal port: t is found with f64x2.trunc (no
// round trip through int32 lanes), and 2^k is t + 2^52 + 1023, whose low
// mantissa bits hold k + 1023, shifted left by 52 into the exponent field.
//
// Inputs are first clamped to [-110, 100]: beyond, fdlibm's value rounds to
// float32 0 or +Infinity anyway (e^-103.98 is below half the least float32
// subnormal, e^88.73 above the largest float32), and 2^k stays a normal
// float64. So the result is fdlibm's only after rounding to float32; NaN
// stays NaN. The kernels built on it (silu-wasm.ts) are measured there.
import { type FunctionBuilder, f64x2Bytes } from "./code-builder.js";

// fdlibm e_exp.c's constants
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
const P = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8];
// fdlibm's high-word tests as float64 thresholds on |x| (positive doubles order like their bits)
const HALF_LN2 = highWord(0x3fd62e43); // hx > 0x3fd62e42
const ONE_HALF_LN2 = highWord(0x3ff0a2b2); // hx < 0x3ff0a2b2
const TINY = highWord(0x3e300000); // hx < 0x3e300000: 2^-28
const SIGN = f64x2Bytes(-0); // the sign bit of each lane
const EXP_BIAS = 2 ** 52 + 1023; // k + 2^52 + 1023 = the integer k + 1023 in the low mantissa bits (|k| < 2^11)

function highWord(hi: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, hi);
  return v.getFloat64(0);
}

/** One expansion's v128 temporaries. */
interface ExpTemps {
  readonly ax: number;
  readonly t: number;
  readonly hi: number;
  readonly lo: number;
  readonly r: number;
  readonly tt: number;
  readonly c: number;
}

/**
 * The locals {@link emitExpF64x2} works in: the constants (V8 rebuilds a
 * `v128.const` at each use; a local stays in a register or a stack slot)
 * and the temporaries of up to `width` interleaved expansions.
 */
export interface ExpLocals {
  /** Each constant's local, by its float64 value. */
  readonly consts: ReadonlyMap<number, number>;
  /** The sign bit of each float64 lane. */
  readonly sign: number;
  readonly temps: readonly ExpTemps[];
}

/** The float64 constants of the expansion, splat to both lanes. */
const CONSTANTS = [100, -110, INV_LN2, 0.5, 1, 2, ONE_HALF_LN2, HALF_LN2, LN2_HI, LN2_LO, TINY, EXP_BIAS, ...P];

/**
 * Declares the locals {@link emitExpF64x2} needs in `f` for `width`
 * interleaved expansions and emits the constants' initialization: call it
 * before the loop that expands it.
 *
 * @example
 * ```ts
 * const tmp = expLocals(f, 4);
 * ```
 */
export function expLocals(f: FunctionBuilder, width: number): ExpLocals {
  const v = (): number => f.local("v128");
  const consts = new Map<number, number>();
  for (const c of CONSTANTS) {
    const at = v();
    f.v128Const(f64x2Bytes(c)).set(at);
    consts.set(c, at);
  }
  const sign = v();
  f.v128Const(SIGN).set(sign);
  const temps = Array.from({ length: width }, () => ({ ax: v(), t: v(), hi: v(), lo: v(), r: v(), tt: v(), c: v() }));
  return { consts, sign, temps };
}

/**
 * Emits `outs[j] = e^xs[j]` for the two float64 lanes of each local
 * `xs[j]` (overwritten: clamped to [-110, 100]), fdlibm's bits wherever
 * they round to a float32 other than 0 or Infinity (see the file header).
 * The expansions are interleaved step by step (independent dependency
 * chains side by side: one chain alone is bound by its latency). No
 * `outs[j]` may be an `xs[i]`; at most `l.temps.length` of them.
 *
 * @example
 * ```ts
 * emitExpF64x2(f, [x0, x1], [e0, e1], expLocals(f, 2)); // e0 = (e^x0, e^x1 lanes), ...
 * ```
 */
export function emitExpF64x2(f: FunctionBuilder, xs: readonly number[], outs: readonly number[], l: ExpLocals): void {
  if (xs.length !== outs.length || xs.length > l.temps.length) throw new Error(`emitExpF64x2: ${xs.length} inputs, ${outs.length} outputs, ${l.temps.length} temporaries`);
  const k = (v: number): number => {
    const at = l.consts.get(v);
    if (at === undefined) throw new Error(`emitExpF64x2: no local for the constant ${v}`);
    return at;
  };
  const steps: ((x: number, out: number, t: ExpTemps) => void)[] = [
    // pmin/pmax keep their first operand when a comparison is false: NaN stays
    (x) => f.get(x).get(k(100)).op("f64x2.pmin").get(k(-110)).op("f64x2.pmax").set(x),
    (x, _, t) => f.get(x).op("f64x2.abs").set(t.ax),
    // t = k as a float64: trunc(x/ln2 + copysign(1/2, x)); copysign(1, x) when |x| < 1.5·ln2; +0 when |x| <= ln2/2
    (x, _, t) => f.get(k(INV_LN2)).get(x).op("f64x2.mul").get(x).get(l.sign).op("v128.and").get(k(0.5)).op("v128.or").op("f64x2.add").op("f64x2.trunc").set(t.t),
    (x, _, t) => {
      f.get(x).get(l.sign).op("v128.and").get(k(1)).op("v128.or").get(t.t).get(t.ax).get(k(ONE_HALF_LN2)).op("f64x2.lt").op("v128.bitselect");
      f.get(t.ax).get(k(HALF_LN2)).op("f64x2.ge").op("v128.and").set(t.t);
    },
    // hi = x - t·ln2HI, lo = t·ln2LO, r = hi - lo (t = +0: hi = x, lo = +0, r = x), tt = r²
    (x, _, t) => f.get(x).get(t.t).get(k(LN2_HI)).op("f64x2.mul").op("f64x2.sub").set(t.hi),
    (_, __, t) => f.get(t.t).get(k(LN2_LO)).op("f64x2.mul").set(t.lo),
    (_, __, t) => f.get(t.hi).get(t.lo).op("f64x2.sub").set(t.r),
    (_, __, t) => f.get(t.r).get(t.r).op("f64x2.mul").set(t.tt),
    // c = r - tt·(P1 + tt·(P2 + tt·(P3 + tt·(P4 + tt·P5))))
    (_, __, t) => f.get(k(P[4])).get(t.tt).op("f64x2.mul").get(k(P[3])).op("f64x2.add").set(t.c),
    (_, __, t) => f.get(t.c).get(t.tt).op("f64x2.mul").get(k(P[2])).op("f64x2.add").set(t.c),
    (_, __, t) => f.get(t.c).get(t.tt).op("f64x2.mul").get(k(P[1])).op("f64x2.add").set(t.c),
    (_, __, t) => f.get(t.c).get(t.tt).op("f64x2.mul").get(k(P[0])).op("f64x2.add").set(t.c),
    (_, __, t) => f.get(t.r).get(t.c).get(t.tt).op("f64x2.mul").op("f64x2.sub").set(t.c),
    // y = 1 - ((lo - (r·c)/(2 - c)) - hi)
    (_, out, t) => {
      f.get(k(1)).get(t.lo).get(t.r).get(t.c).op("f64x2.mul").get(k(2)).get(t.c).op("f64x2.sub").op("f64x2.div").op("f64x2.sub");
      f.get(t.hi).op("f64x2.sub").op("f64x2.sub").set(out);
    },
    // · 2^k: t + 2^52 + 1023 holds k + 1023 in its low mantissa bits; shifted left by 52, they are 2^k's exponent
    (_, out, t) => f.get(out).get(t.t).get(k(EXP_BIAS)).op("f64x2.add").i32Const(52).op("i64x2.shl").op("f64x2.mul").set(out),
    // |x| < 2^-28: 1 + x
    (x, out, t) => f.get(k(1)).get(x).op("f64x2.add").get(out).get(t.ax).get(k(TINY)).op("f64x2.lt").op("v128.bitselect").set(out),
  ];
  for (const step of steps) for (let j = 0; j < xs.length; j++) step(xs[j], outs[j], l.temps[j]);
}
