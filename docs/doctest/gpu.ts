// The WebGPU device the doctests use: Dawn (the `webgpu` package) in Node,
// Vulkan first (lavapipe on machines without a GPU), then Dawn's OpenGL ES
// path at the compatibility feature level. Acquired once, before the
// examples run; the examples written for the browser see a `navigator`
// whose `gpu` is Dawn's GPU object.
import { create, globals } from "webgpu";
import { type WebGPUBackend, createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";

/** The backend and Dawn's GPU object, or why there is none. */
export type DoctestGpu = { readonly backend: WebGPUBackend; readonly gpu: GPU; readonly driver: string } | { readonly backend: null; readonly reason: string };

let acquired: DoctestGpu | undefined;

/** Acquires the device once (later calls return the same one). */
export async function acquireGpu(): Promise<DoctestGpu> {
  if (acquired !== undefined) return acquired;
  Object.assign(globalThis, globals); // GPUBufferUsage and friends, as in a browser
  const reasons: string[] = [];
  for (const [flags, featureLevel] of [[[], "core"], [["backend=opengles"], "compatibility"]] as const) {
    if (flags.length > 0) process.env["EGL_PLATFORM"] ??= "surfaceless";
    try {
      const gpu = create([...flags]);
      const backend = await createWebGPUBackend({ gpu, featureLevel });
      acquired = { backend, gpu, driver: `${flags.join(",") || "default"} (${backend.info.adapter}, ${backend.info.featureLevel})` };
      return acquired;
    } catch (e) {
      reasons.push(`${flags.join(",") || "default"}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  acquired = { backend: null, reason: `no WebGPU adapter: ${reasons.join("; ")}` };
  return acquired;
}

/** Thrown by a fixture that needs the device when there is none: the example needs context. */
export class NoGpuError extends Error {
  override readonly name = "NoGpuError";
}

/** The acquired device; throws {@link NoGpuError} when {@link acquireGpu} found none (or was not called). */
export function doctestGpu(): { backend: WebGPUBackend; gpu: GPU } {
  if (acquired === undefined) throw new NoGpuError("the doctests' WebGPU device was not acquired");
  if (acquired.backend === null) throw new NoGpuError(acquired.reason);
  return acquired;
}
