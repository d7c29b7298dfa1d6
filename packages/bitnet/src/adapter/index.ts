// @bitnet-quantize/bitnet/adapter: PEFT-style adaptation of any Module tree to
// BitNet b1.58 (BitLinear by dotted name), with optional LoRA on the frozen
// ternary base.
export type { BitNetAdapterConfigFields, LoraOptions } from "./adapter-config.js";
export { BitNetAdapterConfig, DEFAULT_TARGET_MODULES } from "./adapter-config.js";
export { BitNetAdapter, replaceLinearWithBitLinear } from "./bitnet-adapter.js";
export { LoraBitLinear } from "./lora-bit-linear.js";
