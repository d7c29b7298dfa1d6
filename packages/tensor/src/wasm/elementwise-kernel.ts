// WebAssembly SIMD elementwise float32 kernels: out = a op b for op in add,
// sub, mul, div, four lanes per instruction. These four IEEE operations give
// the same float32 as JavaScript's float64 arithmetic rounded to float32
// (double rounding is innocuous for +, -, x, / of float32 operands), so the
// results are bit-identical to cpu/elementwise.ts's binaryKernel.
//
// Why: in a training step binaryKernel runs on Float32Array, Int32Array,
// Uint8Array, ... operands, so V8's element accesses in its loops go
// megamorphic: measured 9.5-15 ms for 131,072 float32 adds (72 ns each) where
// a monomorphic loop takes 0.25 ms and three copies into and out of wasm
// memory 0.035 ms (Node 20, this machine). The `npm start` profile had
// binaryKernel at 14.6% of the process once the matmuls ran in wasm.
import { FunctionBuilder } from "./code-builder.js";
import type { SimdOp } from "./opcodes.js";

/** The binary ops with a wasm kernel, and their f32x4 instruction. */
export const WASM_BINARY_OPS = { add: "f32x4.add", sub: "f32x4.sub", mul: "f32x4.mul", div: "f32x4.div" } as const satisfies Record<string, SimdOp>;
/** An op name of {@link WASM_BINARY_OPS}. */
export type WasmBinaryOp = keyof typeof WASM_BINARY_OPS;

/**
 * Emits `name(a, b, out, vectors)`: `out[i] = a[i] op b[i]` for
 * `4·vectors` float32 lanes (pointers in bytes, 16-byte aligned).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitBinaryF32("add_f32", "add")] });
 * ```
 */
export function emitBinaryF32(name: string, op: WasmBinaryOp): FunctionBuilder {
  const f = new FunctionBuilder(name, ["i32", "i32", "i32", "i32"], []);
  const [A, B, OUT, V] = [0, 1, 2, 3];
  f.open("block");
  f.get(V).op("i32.eqz").brIf(0);
  f.open("loop");
  f.get(OUT).get(A).memory("v128.load").get(B).memory("v128.load").op(WASM_BINARY_OPS[op]).memory("v128.store");
  f.get(A).i32Const(16).op("i32.add").set(A);
  f.get(B).i32Const(16).op("i32.add").set(B);
  f.get(OUT).i32Const(16).op("i32.add").set(OUT);
  f.get(V).i32Const(1).op("i32.sub").variable("local.tee", V).brIf(0);
  f.end();
  f.end();
  return f;
}
