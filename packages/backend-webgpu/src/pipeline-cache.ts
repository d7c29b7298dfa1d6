// Compiled compute pipelines keyed by program key, and bind group layouts keyed
// by binding signature: each WGSL source is compiled once per device.
import { SHADER_STAGE_COMPUTE } from "./gpu-constants.js";
import type { BindingKind, Program } from "./program.js";

/** A compiled program and the layout its bind groups use. */
export interface CompiledProgram {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/**
 * Compiles programs on first use and returns the cached pipeline afterwards.
 * Shader errors are caught in an error scope and reported by {@link takeError}.
 *
 * @example
 * ```ts
 * const cache = new PipelineCache(device);
 * const { pipeline, layout } = cache.get(program);
 * ```
 */
export class PipelineCache {
  readonly #pipelines = new Map<string, CompiledProgram>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();
  #error: string | undefined;

  constructor(private readonly device: GPUDevice) {}

  /** Number of compiled pipelines. */
  get size(): number {
    return this.#pipelines.size;
  }

  /** The compiled form of `program` (compiling it the first time its key is seen). */
  get(program: Program): CompiledProgram {
    const hit = this.#pipelines.get(program.key);
    if (hit !== undefined) return hit;
    const layout = this.#layout(program.bindings);
    this.device.pushErrorScope("validation");
    const module = this.device.createShaderModule({ code: program.wgsl, label: program.key });
    const pipeline = this.device.createComputePipeline({
      label: program.key,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: "main" },
    });
    void this.device.popErrorScope().then((e) => {
      if (e !== null && this.#error === undefined) this.#error = `program "${program.key}" failed to compile: ${e.message}`;
    });
    const compiled = { pipeline, layout };
    this.#pipelines.set(program.key, compiled);
    return compiled;
  }

  /** The first compilation error seen since the last call, if any. */
  takeError(): string | undefined {
    const e = this.#error;
    this.#error = undefined;
    return e;
  }

  #layout(bindings: readonly BindingKind[]): GPUBindGroupLayout {
    const sig = bindings.join(",");
    let layout = this.#layouts.get(sig);
    if (layout === undefined) {
      // the metadata binding (last) takes a dynamic offset: one bind group serves every slot of the batch's metadata buffer
      const entries: GPUBindGroupLayoutEntry[] = [...bindings, "read" as const].map((kind, i) => ({
        binding: i,
        visibility: SHADER_STAGE_COMPUTE,
        buffer: { type: kind === "read" ? "read-only-storage" : "storage", hasDynamicOffset: i === bindings.length },
      }));
      layout = this.device.createBindGroupLayout({ entries, label: `layout ${sig},meta` });
      this.#layouts.set(sig, layout);
    }
    return layout;
  }
}
