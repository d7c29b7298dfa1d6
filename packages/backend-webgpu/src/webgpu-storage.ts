// The WebGPU storage: a GPU buffer of 32-bit words holding `length` elements
// of `dtype`. Not the allocation policy (the backend and its pool own that).
import { type Backend, BackendError, type DType, type Storage } from "@bitnet-quantize/tensor";

/**
 * A tensor storage living in a GPU buffer (one 4-byte word per element, also
 * for int8 and uint8). The buffer may be larger than `4 · length` bytes.
 *
 * @example
 * ```ts
 * const s = gpu.upload(new Float32Array([1, 2]), "float32"); // s instanceof WebGPUStorage
 * s.length; // 2
 * ```
 */
export class WebGPUStorage implements Storage {
  #buffer: GPUBuffer | null;

  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly length: number,
    buffer: GPUBuffer,
  ) {
    this.#buffer = buffer;
  }

  /** The GPU buffer; throws once the storage was freed. */
  get buffer(): GPUBuffer {
    if (this.#buffer === null) throw new BackendError(`webgpu: storage of ${this.length} ${this.dtype} was freed`);
    return this.#buffer;
  }

  /** True once freed. */
  get isFreed(): boolean {
    return this.#buffer === null;
  }

  /** Detaches and returns the buffer (null when already detached). */
  detach(): GPUBuffer | null {
    const b = this.#buffer;
    this.#buffer = null;
    return b;
  }
}
