// @bitnet-quantize/autograd: entry point (filled in by its issue).
export {};
