// @bitnet-quantize/bitnet: entry point (filled in by its issue).
export {};
