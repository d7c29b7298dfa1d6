// Getting a GPUDevice: from a GPU object (navigator.gpu or the `webgpu`
// package's create()) with the limits the kernels need requested from the
// adapter. Not the backend.
import { BackendError } from "@bitnet-quantize/tensor";

/** Storage buffers the largest program binds (ternary: 5 data + metadata). */
export const STORAGE_BUFFERS_NEEDED = 6;

/**
 * Options for requesting a device.
 *
 * @example
 * ```ts
 * const opts: DeviceRequest = { gpu: navigator.gpu, powerPreference: "high-performance" };
 * ```
 */
export interface DeviceRequest {
  /** The GPU object; default `navigator.gpu`. */
  readonly gpu?: GPU;
  readonly powerPreference?: GPUPowerPreference;
  /** `"compatibility"` admits OpenGL ES adapters (Dawn) with fewer capabilities. */
  readonly featureLevel?: "core" | "compatibility";
}

/** A device with what is known of its adapter. */
export interface AcquiredDevice {
  readonly device: GPUDevice;
  readonly gpu: GPU | undefined;
  readonly adapter: GPUAdapter;
  readonly adapterDescription: string;
}

/**
 * The GPU object of this environment, if any (`navigator.gpu`).
 *
 * @example
 * ```ts
 * const gpu = defaultGpu(); // undefined in Node without the webgpu package
 * ```
 */
export function defaultGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

/**
 * Requests an adapter and a device with the adapter's own limits for what the
 * kernels use (workgroup sizes, storage buffers per stage, buffer sizes) and
 * the timestamp-query feature where offered.
 *
 * @example
 * ```ts
 * const { device } = await requestDevice({ gpu: create([]) });
 * ```
 */
export async function requestDevice(req: DeviceRequest): Promise<AcquiredDevice> {
  const gpu = req.gpu ?? defaultGpu();
  if (gpu === undefined) {
    throw new BackendError("webgpu: no GPU object: pass { gpu } (in Node: create([]) from the `webgpu` package) or run where navigator.gpu exists");
  }
  const options: GPURequestAdapterOptions = {};
  if (req.powerPreference !== undefined) options.powerPreference = req.powerPreference;
  if (req.featureLevel !== undefined) options.featureLevel = req.featureLevel;
  const adapter = await gpu.requestAdapter(options);
  if (adapter === null) {
    throw new BackendError(
      `webgpu: requestAdapter(${JSON.stringify(options)}) returned null: no WebGPU adapter here (no GPU driver, or a CPU driver such as lavapipe or SwiftShader missing)`,
    );
  }
  const l = adapter.limits;
  if (l.maxStorageBuffersPerShaderStage < STORAGE_BUFFERS_NEEDED) {
    throw new BackendError(`webgpu: the adapter allows ${l.maxStorageBuffersPerShaderStage} storage buffers per shader stage; the kernels need ${STORAGE_BUFFERS_NEEDED}`);
  }
  const requiredLimits: Record<string, number> = {
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
  };
  const requiredFeatures: GPUFeatureName[] = adapter.features.has("timestamp-query") ? ["timestamp-query"] : [];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: "bitnet-quantize" });
  const info = adapter.info;
  const adapterDescription = [info.vendor, info.architecture, info.description].filter((s) => s !== "").join(" ") || "unknown adapter";
  return { device, gpu, adapter, adapterDescription };
}
