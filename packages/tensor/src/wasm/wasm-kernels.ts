// The one kernel module of this realm (main thread or worker): emitted,
// compiled synchronously and instantiated on first use, over one WasmArena.
// `wasmKernels()` is undefined where WebAssembly or its 128-bit SIMD is
// missing; every caller then runs its JavaScript twin.
import { FunctionBuilder } from "./code-builder.js";
import { WASM_BINARY_OPS, type WasmBinaryOp, emitBinaryF32 } from "./elementwise-kernel.js";
import { emitMatmulNN, emitMatmulNT, emitPackPanels } from "./matmul-kernel.js";
import { encodeModule } from "./module-builder.js";
import { emitSumF32 } from "./reduce-kernel.js";
import { emitTernaryKernel } from "./ternary-kernel.js";
import { WasmArena } from "./wasm-arena.js";
import { type WasmApi, wasmApi } from "./webassembly-api.js";

/** A kernel entry: i32 arguments (pointers, strides in bytes, counts). */
export type KernelFn = (...args: number[]) => void;

/** The instantiated kernels and their memory. */
export interface WasmKernels {
  readonly arena: WasmArena;
  /** Ternary tiles: one row x one token (4 accumulator chains) or two tokens (measured fastest: ternary-kernel.ts). */
  readonly ternary1x1: KernelFn;
  readonly ternary1x2: KernelFn;
  /** Float32 A·B (B row-major), 4 and 1 rows per tile. */
  readonly nn4: KernelFn;
  readonly nn1: KernelFn;
  /** Float32 A·Btᵀ, 4x2 and 1x4 tiles. */
  readonly nt4x2: KernelFn;
  readonly nt1x4: KernelFn;
  /** Row-major [rows, 8·panels] to 8-column panels. */
  readonly packPanels: KernelFn;
  /** Elementwise float32 `out = a op b` over whole v128 vectors. */
  readonly binary: Readonly<Record<WasmBinaryOp, KernelFn>>;
  /** Float32 sum over gathered offsets, float64 accumulation in order. */
  readonly sumF32: KernelFn;
}

/**
 * A module with one function using v128 (`i32x4.splat` of 0, `i32x4.add`,
 * `drop`): it validates exactly where 128-bit SIMD is supported.
 *
 * @example
 * ```ts
 * WebAssembly.validate(simdProbeModule()); // true on Node 20+, Chrome 91+, Firefox 89+, Safari 16.4+
 * ```
 */
export function simdProbeModule(): Uint8Array {
  const f = new FunctionBuilder("probe", [], []);
  f.i32Const(0).op("i32x4.splat").i32Const(0).op("i32x4.splat").op("i32x4.add").op("drop");
  return encodeModule({ functions: [f] });
}

/**
 * True when this engine runs WebAssembly with 128-bit SIMD.
 *
 * @example
 * ```ts
 * wasmSimdSupported(); // true on Node 20
 * ```
 */
export function wasmSimdSupported(): boolean {
  const api = wasmApi();
  if (api === undefined) return false;
  try {
    return api.validate(simdProbeModule());
  } catch {
    return false;
  }
}

/**
 * Every kernel function of the module, in export order.
 *
 * @example
 * ```ts
 * kernelFunctions().map((f) => f.name); // ["ternary_1x1", ..., "sum_f32"]
 * ```
 */
export function kernelFunctions(): FunctionBuilder[] {
  return [
    emitTernaryKernel("ternary_1x1", 1, 1, 4),
    emitTernaryKernel("ternary_1x2", 1, 2),
    emitMatmulNN("nn_4", 4),
    emitMatmulNN("nn_1", 1),
    emitMatmulNT("nt_4x2", 4, 2),
    emitMatmulNT("nt_1x4", 1, 4),
    emitPackPanels("pack_panels"),
    ...Object.keys(WASM_BINARY_OPS).map((op) => emitBinaryF32(`${op}_f32`, op as WasmBinaryOp)),
    emitSumF32("sum_f32"),
  ];
}

let cached: WasmKernels | null | undefined;

function instantiate(api: WasmApi): WasmKernels {
  const arena = new WasmArena(api);
  const module = new api.Module(encodeModule({ memoryMinPages: 1, functions: kernelFunctions() }));
  const { exports } = new api.Instance(module, { env: { memory: arena.memory } });
  const fn = (name: string): KernelFn => exports[name] as KernelFn;
  return {
    arena,
    ternary1x1: fn("ternary_1x1"),
    ternary1x2: fn("ternary_1x2"),
    nn4: fn("nn_4"),
    nn1: fn("nn_1"),
    nt4x2: fn("nt_4x2"),
    nt1x4: fn("nt_1x4"),
    packPanels: fn("pack_panels"),
    binary: { add: fn("add_f32"), sub: fn("sub_f32"), mul: fn("mul_f32"), div: fn("div_f32") },
    sumF32: fn("sum_f32"),
  };
}

/**
 * The kernels of this realm, built on first call; `undefined` without WebAssembly SIMD.
 *
 * @example
 * ```ts
 * const k = wasmKernels();
 * if (k !== undefined) k.arena.memory.buffer.byteLength; // 1 MiB to start
 * ```
 */
export function wasmKernels(): WasmKernels | undefined {
  if (cached === undefined) {
    const api = wasmApi();
    cached = api !== undefined && wasmSimdSupported() ? instantiate(api) : null;
  }
  return cached ?? undefined;
}
