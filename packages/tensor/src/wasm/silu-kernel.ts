// The WebAssembly SIMD kernel of the gated SiLU, `out = f32(g / f32(f32(e^-g) + 1)) · up`
// in float32 (e^-g by exp-kernel.ts in float64, rounded to float32): the
// operation order of its JavaScript twin (silu-wasm.ts), so the bits agree.
import { FunctionBuilder, LOW_HALVES, UPPER_HALF } from "./code-builder.js";
import { emitExpF64x2, expLocals } from "./exp-kernel.js";
import type { ValType } from "./opcodes.js";

/**
 * float32 vectors per loop step, each two exp expansions interleaved with the
 * others. Measured through siluMulF32 on 24 rows of 4096 (a decode step),
 * Node 20, one thread, 6 runs each: 1 vector 0.50-0.65 ms, 2 vectors
 * 0.37-0.39 ms, 4 vectors 0.35-0.39 ms (the JavaScript twin: 1.4-1.5 ms).
 */
const VECTORS = 2;
/** float32 values per step of the kernel: the driver runs the last `n % SILU_STEP` values itself. */
export const SILU_STEP = 4 * VECTORS;

/**
 * Emits `name(g, up, out, steps)`: `out[i] = f32(g[i] / f32(f32(e^-g[i]) + 1)) · up[i]`
 * for `SILU_STEP·steps` float32 lanes (pointers in bytes; `out` may be `g` or `up`).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitSiluMulF32("silu_mul_f32")] });
 * ```
 */
export function emitSiluMulF32(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [G, U, OUT, N] = [0, 1, 2, 3];
  const g = Array.from({ length: VECTORS }, () => f.local("v128"));
  const x = Array.from({ length: 2 * VECTORS }, () => f.local("v128"));
  const e = Array.from({ length: 2 * VECTORS }, () => f.local("v128"));
  const tmp = expLocals(f, 2 * VECTORS);

  f.open("block");
  f.get(N).op("i32.eqz").brIf(0);
  f.open("loop");
  // -g as float64 pairs, then e^-g
  for (let v = 0; v < VECTORS; v++) {
    f.get(G).memory("v128.load", 16 * v).set(g[v]);
    f.get(g[v]).op("f64x2.promote_low_f32x4").op("f64x2.neg").set(x[2 * v]);
    f.get(g[v]).get(g[v]).shuffle(UPPER_HALF).op("f64x2.promote_low_f32x4").op("f64x2.neg").set(x[2 * v + 1]);
  }
  emitExpF64x2(f, x, e, tmp);
  // f32(g / f32(f32(e) + 1)) · up
  for (let v = 0; v < VECTORS; v++) {
    f.get(OUT).get(g[v]);
    f.get(e[2 * v]).op("f32x4.demote_f64x2_zero").get(e[2 * v + 1]).op("f32x4.demote_f64x2_zero").shuffle(LOW_HALVES);
    f.f32Const(1).op("f32x4.splat").op("f32x4.add").op("f32x4.div");
    f.get(U).memory("v128.load", 16 * v).op("f32x4.mul").memory("v128.store", 16 * v);
  }
  for (const p of [G, U, OUT]) f.get(p).i32Const(16 * VECTORS).op("i32.add").set(p);
  f.get(N).i32Const(1).op("i32.sub").variable("local.tee", N).brIf(0);
  f.end();
  f.end();
  return f;
}
