// @bitnet-quantize/backend-webgpu: entry point (filled in by its issue).
export {};
