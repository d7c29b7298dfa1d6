// The WebAssembly SIMD kernels of the CPU backend, emitted from TypeScript at
// run time (no .wasm files, no toolchain): the emitter, the kernels and their
// drivers. Internal to @bitnet-quantize/tensor except for what index.ts and
// quant/index.ts re-export.
export { FunctionBuilder } from "./code-builder.js";
export { signedLeb128, unsignedLeb128 } from "./leb128.js";
export { WASM_PREAMBLE, encodeModule } from "./module-builder.js";
export type { ModuleSpec } from "./module-builder.js";
export { emitMatmulNN, emitMatmulNT, emitPackPanels } from "./matmul-kernel.js";
export { TERNARY_BLOCK, emitTernaryKernel } from "./ternary-kernel.js";
export { matmulWasm, matmulWasmNN, matmulWasmNT } from "./matmul-wasm.js";
export { ternaryMatmulWasm, ternaryWasmApplies } from "./ternary-wasm.js";
export { kernelFunctions, simdProbeModule, wasmKernels, wasmSimdSupported } from "./wasm-kernels.js";
export type { KernelFn, WasmKernels } from "./wasm-kernels.js";
export { WasmArena } from "./wasm-arena.js";
export { wasmApi } from "./webassembly-api.js";
export type { WasmApi, WasmInstance, WasmMemory, WasmModule } from "./webassembly-api.js";
export { WASM_BINARY_OPS, emitBinaryF32 } from "./elementwise-kernel.js";
export type { WasmBinaryOp } from "./elementwise-kernel.js";
export { binaryWasm } from "./elementwise-wasm.js";
export { emitSumF32 } from "./reduce-kernel.js";
export { sumWasm } from "./reduce-wasm.js";
