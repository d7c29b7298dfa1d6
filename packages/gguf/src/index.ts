// @bitnet-quantize/gguf: entry point (filled in by its issue).
export {};
