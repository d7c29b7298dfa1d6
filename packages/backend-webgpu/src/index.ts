// @bitnet-quantize/backend-webgpu: a WebGPU Backend for @bitnet-quantize/tensor.
// Brings no WebGPU implementation: pass navigator.gpu, a GPU object or a device.
export type { GpuTiming, MatmulKernel, TernaryKernel, WebGPUBackend, WebGPUBackendOptions, WebGPUInfo, WebGPUStats } from "./webgpu-backend.js";
export { createWebGPUBackend } from "./webgpu-backend.js";
export { WebGPUStorage } from "./webgpu-storage.js";
export type { DeviceRequest } from "./device.js";
export type { BindingKind, KernelLimits, Program } from "./program.js";
