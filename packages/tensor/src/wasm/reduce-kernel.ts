// The WebAssembly float32 sum reduction: out[o] = Σ_j data[offs[o·inner + j]]
// accumulated in float64, in order, and rounded once to float32: the same
// operations in the same order as cpu/reduce.ts's reduceKernel, so the
// result is bit-identical. Scalar (f64 adds in sequence cannot be reordered
// without changing the rounding); the win is escaping the megamorphic
// element loads of the JavaScript loop, which `npm start`'s profile showed at
// 11% of the process once matmuls and elementwise ops ran in wasm.
import { FunctionBuilder } from "./code-builder.js";

/**
 * Emits `name(data, offs, out, outer, inner)`: `data` a float32 base pointer
 * (element i at data + 4i), `offs` int32 element indices [outer·inner],
 * `out` float32 [outer]; pointers in bytes.
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitSumF32("sum_f32")] });
 * ```
 */
export function emitSumF32(name: string): FunctionBuilder {
  const f = new FunctionBuilder(name, ["i32", "i32", "i32", "i32", "i32"], []);
  const [DATA, OFFS, OUT, OUTER, INNER] = [0, 1, 2, 3, 4];
  const j = f.local("i32");
  const acc = f.local("f64");
  f.open("block");
  f.get(OUTER).op("i32.eqz").brIf(0);
  f.open("loop"); // over outputs
  f.i32Const(0).op("f64.convert_i32_s").set(acc);
  f.get(INNER).set(j);
  f.open("block");
  f.get(j).op("i32.eqz").brIf(0);
  f.open("loop"); // over the reduced run, in order
  f.get(acc).get(DATA).get(OFFS).memory("i32.load").i32Const(2).op("i32.shl").op("i32.add").memory("f32.load").op("f64.promote_f32").op("f64.add").set(acc);
  f.get(OFFS).i32Const(4).op("i32.add").set(OFFS);
  f.get(j).i32Const(1).op("i32.sub").variable("local.tee", j).brIf(0);
  f.end();
  f.end();
  f.get(OUT).get(acc).op("f32.demote_f64").memory("f32.store");
  f.get(OUT).i32Const(4).op("i32.add").set(OUT);
  f.get(OUTER).i32Const(1).op("i32.sub").variable("local.tee", OUTER).brIf(0);
  f.end();
  f.end();
  return f;
}
