// A pool of GPU buffers of one usage, reused by size class so that steady-state
// work allocates nothing. Not the policy of when a buffer is safe to reuse
// (the command batch decides that).

/**
 * The size class of a request: the smallest of 2^k, 1.25·2^k, 1.5·2^k and
 * 1.75·2^k that holds `bytes` (at least 16), so at most 25% is wasted.
 *
 * @example
 * ```ts
 * sizeClass(100); // 112
 * sizeClass(1 << 20); // 1048576
 * ```
 */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, bytes);
  let p = 16;
  while (p * 2 <= b) p *= 2;
  if (p === b) return p;
  for (const f of [1.25, 1.5, 1.75, 2]) {
    const c = Math.ceil((p * f) / 16) * 16;
    if (c >= b) return c;
  }
  return p * 2;
}

/** Counters of one pool. */
export interface PoolStats {
  /** Buffers created by the device. */
  created: number;
  /** Requests served from the pool. */
  reused: number;
  /** Bytes held in the pool, free for reuse. */
  bytesFree: number;
}

/**
 * Free buffers by size class; `acquire` reuses one or creates one, `release`
 * returns one (destroying it when the pool already holds `maxFreeBytes`).
 *
 * @example
 * ```ts
 * const pool = new BufferPool(device, BufferUsage.STORAGE | BufferUsage.COPY_DST, 256 << 20);
 * const buf = pool.acquire(4096);
 * pool.release(buf);
 * ```
 */
export class BufferPool {
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly stats: PoolStats = { created: 0, reused: 0, bytesFree: 0 };

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly maxFreeBytes: number,
    private readonly label: string,
  ) {}

  /** A buffer of at least `bytes` bytes (its contents are undefined). */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.#free.get(size);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.stats.reused++;
      this.stats.bytesFree -= size;
      return reused;
    }
    this.stats.created++;
    return this.device.createBuffer({ size, usage: this.usage, label: `${this.label} ${size}` });
  }

  /** Returns a buffer from {@link acquire} to the pool. */
  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    if (this.stats.bytesFree + size > this.maxFreeBytes) {
      buffer.destroy();
      return;
    }
    let list = this.#free.get(size);
    if (list === undefined) {
      list = [];
      this.#free.set(size, list);
    }
    list.push(buffer);
    this.stats.bytesFree += size;
  }

  /** Destroys every free buffer. */
  clear(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
    this.stats.bytesFree = 0;
  }
}
