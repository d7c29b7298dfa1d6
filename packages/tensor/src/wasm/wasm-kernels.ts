// The one kernel module of this realm (main thread or worker): emitted,
// compiled synchronously and instantiated on first use, over one WasmArena.
// `wasmKernels()` is undefined where WebAssembly or its 128-bit SIMD is
// missing; every caller then runs its JavaScript twin. Where SharedArrayBuffer
// exists (Node; browsers when cross-origin isolated) the memory is shared:
// its views never detach, so frozen weights can live in it as the CPU
// backend's storage, and worker threads instantiate the same compiled module
// over the same memory (`kernelsOver`) to run kernels on those bytes.
import { FunctionBuilder } from "./code-builder.js";
import { WASM_BINARY_OPS, type WasmBinaryOp, emitBinaryF32 } from "./elementwise-kernel.js";
import { emitMatmulNN, emitMatmulNT, emitPackPanels } from "./matmul-kernel.js";
import { encodeModule } from "./module-builder.js";
import { emitSumF32 } from "./reduce-kernel.js";
import { emitTernaryKernel } from "./ternary-kernel.js";
import { emitTernaryPrep } from "./ternary-prep-kernel.js";
import { emitTernaryRescale, emitTernaryRescale4 } from "./ternary-rescale-kernel.js";
import { emitRowDotsF64, emitWeightedRowSumF64 } from "./row-dots-kernel.js";
import { emitSiluMulF32 } from "./silu-kernel.js";
import { emitRoundFloat16F32 } from "./float16-round-kernel.js";
import { emitAbsMaxF32, emitQuantizeInt8, emitQuantizeInt8F32 } from "./int8-rows-kernel.js";
import { emitRmsNormF32 } from "./rms-norm-kernel.js";
import { emitHeadsDotsF64, emitHeadsWeightedSumF64 } from "./attention-heads-kernel.js";
import { BackendError } from "../errors.js";
import { WasmArena } from "./wasm-arena.js";
import { type WasmApi, type WasmMemory, type WasmModule, wasmApi } from "./webassembly-api.js";

/** A kernel entry: i32 arguments (pointers, strides in bytes, counts). */
export type KernelFn = (...args: number[]) => void;

/**
 * The kernel functions of one instance (a realm's own, or a worker's over
 * the main thread's shared memory).
 *
 * @example
 * ```ts
 * const fns: KernelFunctions | undefined = wasmKernels();
 * ```
 */
export interface KernelFunctions {
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
  /** Int32 ternary sums to float32 outputs, for one token (ternary-rescale-kernel.ts). */
  readonly ternaryRescale: KernelFn;
  /** The same, four rows at a time (rows a multiple of 4), bit-identical to it. */
  readonly ternaryRescale4: KernelFn;
  /** One token's int8 activations in the ternary kernel's layout, and its group sums (ternary-prep-kernel.ts). */
  readonly ternaryPrep: KernelFn;
  /** Float64 dots of a vector with float32 rows, and weighted sums of rows (row-dots-kernel.ts). */
  readonly rowDots: KernelFn;
  readonly weightedRowSum: KernelFn;
  /** Float32 SiLU(g) · up, with e^x in Math.exp's bits (silu-kernel.ts). */
  readonly siluMul: KernelFn;
  /** Lane-wise max |x| of float32 values, and their int8 codes: float64 products, or float32 ones as Q8_K (int8-rows-kernel.ts). */
  readonly absMaxF32: KernelFn;
  readonly quantizeInt8: KernelFn;
  readonly quantizeInt8F32: KernelFn;
  /** RMSNorm of float32 rows in ggml's steps (rms-norm-kernel.ts). */
  readonly rmsNorm: KernelFn;
  /** Attention's weighted sums for all heads, walking the cache position by position (attention-heads-kernel.ts). */
  readonly headWeightedSum: KernelFn;
  readonly headDots: KernelFn;
  /** Float32 values rounded to binary16 precision (float16-round-kernel.ts). */
  readonly roundFloat16: KernelFn;
}

/**
 * This realm's kernels, their memory and allocator, and the compiled module
 * (which workers instantiate over the same memory when it is shared).
 *
 * @example
 * ```ts
 * wasmKernels()?.arena.shared; // true in Node
 * ```
 */
export interface WasmKernels extends KernelFunctions {
  readonly arena: WasmArena;
  readonly module: WasmModule;
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
    emitTernaryRescale("ternary_rescale"),
    emitTernaryRescale4("ternary_rescale4"),
    emitTernaryPrep("ternary_prep"),
    emitRowDotsF64("row_dots_f64"),
    emitWeightedRowSumF64("wsum_f64"),
    emitSiluMulF32("silu_mul_f32"),
    emitAbsMaxF32("absmax_f32"),
    emitQuantizeInt8("quantize_i8"),
    emitQuantizeInt8F32("quantize_i8_f32"),
    emitRmsNormF32("rms_norm_f32"),
    emitHeadsWeightedSumF64("heads_wsum_f64"),
    emitHeadsDotsF64("heads_dots_f64"),
    emitRoundFloat16F32("round_f16_f32"),
  ];
}

/** The maximum of a shared memory, in 64 KiB pages (4 GiB: the whole 32-bit address space). */
const SHARED_MAX_PAGES = 65536;

let cached: WasmKernels | null | undefined;

function bind(api: WasmApi, module: WasmModule, memory: WasmMemory): KernelFunctions {
  const { exports } = new api.Instance(module, { env: { memory } });
  const fn = (name: string): KernelFn => exports[name] as KernelFn;
  return {
    ternary1x1: fn("ternary_1x1"),
    ternary1x2: fn("ternary_1x2"),
    nn4: fn("nn_4"),
    nn1: fn("nn_1"),
    nt4x2: fn("nt_4x2"),
    nt1x4: fn("nt_1x4"),
    packPanels: fn("pack_panels"),
    binary: { add: fn("add_f32"), sub: fn("sub_f32"), mul: fn("mul_f32"), div: fn("div_f32") },
    sumF32: fn("sum_f32"),
    ternaryRescale: fn("ternary_rescale"),
    ternaryRescale4: fn("ternary_rescale4"),
    ternaryPrep: fn("ternary_prep"),
    rowDots: fn("row_dots_f64"),
    weightedRowSum: fn("wsum_f64"),
    siluMul: fn("silu_mul_f32"),
    absMaxF32: fn("absmax_f32"),
    quantizeInt8: fn("quantize_i8"),
    quantizeInt8F32: fn("quantize_i8_f32"),
    rmsNorm: fn("rms_norm_f32"),
    headWeightedSum: fn("heads_wsum_f64"),
    headDots: fn("heads_dots_f64"),
    roundFloat16: fn("round_f16_f32"),
  };
}

/** A shared arena where the engine has shared memories, else a plain one. */
function newArena(api: WasmApi): WasmArena {
  if (typeof SharedArrayBuffer !== "undefined") {
    try {
      return new WasmArena(api, 16, { shared: true, maximumPages: SHARED_MAX_PAGES });
    } catch {
      // no shared memories here (e.g. a browser page that is not cross-origin isolated)
    }
  }
  return new WasmArena(api);
}

function instantiate(api: WasmApi): WasmKernels {
  const arena = newArena(api);
  const module = new api.Module(encodeModule({ memoryMinPages: 1, ...(arena.shared ? { sharedMemoryMaxPages: SHARED_MAX_PAGES } : {}), functions: kernelFunctions() }));
  return { arena, module, ...bind(api, module, arena.memory) };
}

/**
 * This realm's kernels, instantiated on first use; undefined where
 * WebAssembly or its 128-bit SIMD is missing.
 *
 * @example
 * ```ts
 * const k = wasmKernels();
 * if (k === undefined) console.log("JavaScript kernels only");
 * ```
 */
export function wasmKernels(): WasmKernels | undefined {
  if (cached === undefined) {
    const api = wasmApi();
    cached = api !== undefined && wasmSimdSupported() ? instantiate(api) : null;
  }
  return cached ?? undefined;
}

/**
 * The kernel functions of `module` (another realm's {@link WasmKernels}
 * `module`, posted to this worker) instantiated over `memory` (that realm's
 * shared `arena.memory`): the worker runs kernels on the main thread's bytes
 * and never allocates.
 *
 * @example
 * ```ts
 * const fns = kernelsOver(workerData.module, workerData.memory);
 * ```
 */
export function kernelsOver(module: WasmModule, memory: WasmMemory): KernelFunctions {
  const api = wasmApi();
  if (api === undefined) throw new BackendError("kernelsOver: this engine has no WebAssembly");
  return bind(api, module, memory);
}
