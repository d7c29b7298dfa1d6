// Test helper: a real WebGPU backend from the `webgpu` package (Dawn), trying
// Vulkan (lavapipe here) first, then Dawn's OpenGL ES path in compatibility
// mode. Gives the reason when neither yields an adapter, so suites can skip.
import { create } from "webgpu";
import { type WebGPUBackend, createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";

/** A backend and the driver path that gave it, or why there is none. */
export type Acquired = { backend: WebGPUBackend; driver: string } | { backend: null; reason: string };

/** Dawn on Vulkan: core features (lavapipe on machines without a GPU). */
export async function vulkanBackend(): Promise<Acquired> {
  try {
    const backend = await createWebGPUBackend({ gpu: create([]) });
    return { backend, driver: `vulkan (${backend.info.adapter}, ${backend.info.featureLevel})` };
  } catch (e) {
    return { backend: null, reason: `vulkan: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Dawn on OpenGL ES (EGL surfaceless), compatibility feature level. */
export async function openglesBackend(): Promise<Acquired> {
  process.env["EGL_PLATFORM"] ??= "surfaceless";
  try {
    const backend = await createWebGPUBackend({ gpu: create(["backend=opengles"]), featureLevel: "compatibility" });
    return { backend, driver: `opengles (${backend.info.adapter}, ${backend.info.featureLevel})` };
  } catch (e) {
    return { backend: null, reason: `opengles: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The first backend that works: Vulkan, else OpenGL ES compatibility. */
export async function anyBackend(): Promise<Acquired> {
  const vk = await vulkanBackend();
  if (vk.backend !== null) return vk;
  const gl = await openglesBackend();
  if (gl.backend !== null) return gl;
  return { backend: null, reason: `no WebGPU adapter: ${vk.reason}; ${gl.reason}` };
}
