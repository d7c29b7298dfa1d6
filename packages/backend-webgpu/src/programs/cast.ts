// The cast program: reads a strided view of one dtype and writes another, as
// the CPU backend's typed-array stores do (float to integer truncates toward
// zero, then wraps modulo 2^32 and to the target width; NaN and ±Inf give 0).
// With equal dtypes it is the strided copy behind contiguous() and concat.
import type { Layout } from "@bitnet-quantize/tensor";
import { type GpuDType, wgslTypeOf } from "../gpu-dtype.js";
import type { KernelLimits, Program } from "../program.js";
import { mapProgram } from "./map.js";
import { wrapTo } from "./wrap.js";

const HELPERS = /* wgsl */ `
// ToUint32 of JS: truncate, then reduce modulo 2^32 (exact in f32: both terms
// are multiples of the value's ulp). NaN and infinities give 0.
fn toUint32(x: f32) -> u32 {
  if (isNan(x) || abs(x) == posInf()) { return 0u; }
  let t = trunc(x);
  if (t >= 0.0 && t < 4294967296.0) { return u32(t); }
  if (t < 0.0 && t >= -2147483648.0) { return bitcast<u32>(i32(t)); }
  let r = t - floor(t / 4294967296.0) * 4294967296.0;
  return u32(r);
}`;

function castExpr(from: GpuDType, to: GpuDType, v: string): string {
  const ft = wgslTypeOf(from);
  const tt = wgslTypeOf(to);
  if (tt === "f32") return ft === "f32" ? v : `f32(${v})`;
  let bits: string; // the value as a u32 bit pattern modulo 2^32
  if (ft === "f32") bits = `toUint32(${v})`;
  else bits = ft === "u32" ? v : `bitcast<u32>(${v})`;
  const word = tt === "u32" ? bits : `bitcast<i32>(${bits})`;
  if (from === to) return v;
  return wrapTo(to, word);
}

/**
 * The program converting a view of `from` into a new storage of `to`; with
 * `outLayout` it writes through that layout instead (used by concat).
 *
 * @example
 * ```ts
 * const { program, meta } = castProgram("float32", "int8", layout, limits);
 * ```
 */
export function castProgram(
  from: GpuDType,
  to: GpuDType,
  layout: Layout,
  limits: KernelLimits,
  outLayout?: Layout,
): { program: Program; meta: Uint32Array } {
  return mapProgram(
    {
      name: `cast-${from}-${to}`,
      inputs: [{ type: wgslTypeOf(from), layout }],
      outType: wgslTypeOf(to),
      expr: ([v]) => castExpr(from, to, v),
      helpers: HELPERS,
      ...(outLayout === undefined ? {} : { outLayout }),
    },
    layout.shape,
    limits,
  );
}
