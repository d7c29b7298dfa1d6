// @bitnet-quantize/tensor: entry point (filled in by its issue).
export {};
