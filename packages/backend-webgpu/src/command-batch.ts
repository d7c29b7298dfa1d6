// Records dispatches into one command encoder and submits them together; owns
// the per-batch metadata buffer and defers buffer reuse until the commands
// that may read a released buffer have been submitted. Not the op logic.
import type { BufferPool } from "./buffer-pool.js";
import { BufferUsage } from "./gpu-constants.js";
import type { PipelineCache } from "./pipeline-cache.js";
import type { Program } from "./program.js";
import { BackendError } from "@bitnet-quantize/tensor";

/** Bytes of the metadata buffer of one batch. */
const META_BYTES = 64 * 1024;
/** Bytes of the metadata window a program binds (at a dynamic offset): its metadata must fit. */
const META_WINDOW_BYTES = 4096;
/** Bind groups cached before the cache starts over. */
const BIND_GROUP_CACHE = 2048;

/** Counters of the batcher. */
export interface BatchStats {
  dispatches: number;
  submits: number;
  /** Bind groups created (the rest of the dispatches reused a cached one). */
  bindGroups: number;
}

/**
 * The batch of commands not yet submitted. `run` appends a dispatch; `flush`
 * writes the batch's metadata and submits. Buffers released while a batch is
 * open go back to their pool only after it is submitted: queue order then
 * guarantees that later writes to them come after every earlier read.
 *
 * @example
 * ```ts
 * const batch = new CommandBatch(device, pipelines, storagePool, 256);
 * batch.run(program, [x, out], meta);
 * batch.flush();
 * ```
 */
export class CommandBatch {
  #encoder: GPUCommandEncoder | null = null;
  /** The open compute pass: consecutive dispatches share one (each dispatch is its own usage scope, so they stay ordered). */
  #pass: GPUComputePassEncoder | null = null;
  #metaBuffer: GPUBuffer | null = null;
  readonly #metaHost = new Uint32Array(META_BYTES / 4);
  #metaWords = 0;
  #count = 0;
  readonly #deferred: { pool: BufferPool; buffer: GPUBuffer }[] = [];
  readonly #alignWords: number;
  /** While > 0, batches are not flushed automatically (one submission for a timed run). */
  holdOpen = 0;
  readonly stats: BatchStats = { dispatches: 0, submits: 0, bindGroups: 0 };
  #timestamps: { set: GPUQuerySet; resolve: GPUBuffer } | null = null;
  /**
   * Bind groups by layout, data buffers and metadata buffer. The metadata is
   * bound at a dynamic offset, and pooled buffers come back in the same order
   * step after step, so a training loop's dispatches reuse their bind groups
   * instead of creating native objects that only a garbage collection frees.
   * Buffers are keyed by object: a destroyed buffer's entries never match again.
   */
  readonly #bindGroups = new Map<string, GPUBindGroup>();
  readonly #ids = new WeakMap<GPUBuffer, number>();
  #nextId = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly pipelines: PipelineCache,
    private readonly metaPool: BufferPool,
    alignBytes: number,
    private readonly maxDispatches = 128,
  ) {
    this.#alignWords = Math.max(1, alignBytes / 4);
  }

  /** True while commands are recorded but not submitted. */
  get open(): boolean {
    return this.#encoder !== null;
  }

  #idOf(buffer: GPUBuffer): number {
    let id = this.#ids.get(buffer);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(buffer, id);
    }
    return id;
  }

  #begin(): GPUCommandEncoder {
    if (this.#pass !== null) {
      this.#pass.end();
      this.#pass = null;
    }
    if (this.#encoder === null) {
      this.#encoder = this.device.createCommandEncoder();
      this.#metaBuffer = this.metaPool.acquire(META_BYTES);
      this.#metaWords = 0;
      this.#count = 0;
    }
    return this.#encoder;
  }

  /** Appends one dispatch of `program` over `buffers` (in binding order) with its metadata. */
  run(program: Program, buffers: readonly GPUBuffer[], meta: Uint32Array): void {
    if (buffers.length !== program.bindings.length) {
      throw new BackendError(`webgpu: program ${program.key} binds ${program.bindings.length} buffers, got ${buffers.length}`);
    }
    const words = Math.max(1, meta.length);
    const padded = Math.ceil(words / this.#alignWords) * this.#alignWords;
    if (words * 4 > META_WINDOW_BYTES) throw new BackendError(`webgpu: metadata of ${program.key} is ${words} words, more than ${META_WINDOW_BYTES / 4}`);
    const windowWords = META_WINDOW_BYTES / 4;
    if (this.#encoder !== null && (this.#metaWords + Math.max(padded, windowWords) > this.#metaHost.length || (this.#count >= this.maxDispatches && this.holdOpen === 0))) {
      this.flush();
    }
    if (this.#encoder === null) this.#begin();
    const at = this.#metaWords;
    this.#metaHost.set(meta, at);
    this.#metaWords += padded;
    this.#count++;
    this.stats.dispatches++;
    const { pipeline, layout } = this.pipelines.get(program);
    const metaBuffer = this.#metaBuffer as GPUBuffer;
    let cacheKey = `${program.bindings.join(",")}|${this.#idOf(metaBuffer)}`;
    for (const b of buffers) cacheKey += `|${this.#idOf(b)}`;
    let bindGroup = this.#bindGroups.get(cacheKey);
    if (bindGroup === undefined) {
      const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({ binding: i, resource: { buffer } }));
      entries.push({ binding: buffers.length, resource: { buffer: metaBuffer, offset: 0, size: META_WINDOW_BYTES } });
      bindGroup = this.device.createBindGroup({ layout, entries });
      if (this.#bindGroups.size >= BIND_GROUP_CACHE) this.#bindGroups.clear();
      this.#bindGroups.set(cacheKey, bindGroup);
      this.stats.bindGroups++;
    }
    this.#pass ??= (this.#encoder as GPUCommandEncoder).beginComputePass();
    const pass = this.#pass;
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup, [at * 4]);
    const [x, y, z] = program.dispatch;
    pass.dispatchWorkgroups(x, y, z);
  }

  /** Appends a zero fill of the first `bytes` bytes of `buffer`. */
  clear(buffer: GPUBuffer, bytes: number): void {
    this.#begin().clearBuffer(buffer, 0, bytes);
  }

  /** Appends a buffer-to-buffer copy (offsets and size multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.#begin().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /**
   * Records a small upload: the words travel in this batch's metadata buffer
   * and are copied in command order, so `dst` may be a buffer released earlier
   * in the same batch. Returns false (nothing recorded) when the data is larger
   * than {@link SMALL_UPLOAD_BYTES}.
   */
  upload(dst: GPUBuffer, words: Uint32Array): boolean {
    const bytes = words.length * 4;
    if (bytes === 0 || bytes > SMALL_UPLOAD_BYTES) return false;
    const padded = Math.ceil(words.length / this.#alignWords) * this.#alignWords;
    if (this.#encoder !== null && this.#metaWords + padded > this.#metaHost.length) this.flush();
    const encoder = this.#begin();
    const at = this.#metaWords;
    this.#metaHost.set(words, at);
    this.#metaWords += padded;
    encoder.copyBufferToBuffer(this.#metaBuffer as GPUBuffer, at * 4, dst, 0, bytes);
    return true;
  }

  /**
   * A buffer of `pool` of exactly `size` bytes released earlier in the open
   * batch, for use by later commands of the same batch (command order makes
   * that safe; queue writes would not be), or null.
   */
  reuse(pool: BufferPool, size: number): GPUBuffer | null {
    for (let i = this.#deferred.length - 1; i >= 0; i--) {
      const d = this.#deferred[i];
      if (d.pool === pool && d.buffer.size === size) {
        this.#deferred.splice(i, 1);
        return d.buffer;
      }
    }
    return null;
  }

  /** Gives `buffer` back to `pool` once no recorded command can still read it. */
  release(pool: BufferPool, buffer: GPUBuffer): void {
    if (this.#encoder === null) pool.release(buffer);
    else this.#deferred.push({ pool, buffer });
  }

  /** Marks the start of a timed span with a timestamp (where the device has timestamp queries). */
  beginTimestamps(set: GPUQuerySet, resolve: GPUBuffer): void {
    this.#timestamps = { set, resolve };
    const pass = this.#begin().beginComputePass({ timestampWrites: { querySet: set, beginningOfPassWriteIndex: 0 } });
    pass.end();
  }

  /** Marks the end of the timed span and resolves both timestamps into the resolve buffer. */
  endTimestamps(): void {
    const ts = this.#timestamps;
    if (ts === null) return;
    const encoder = this.#begin();
    const pass = encoder.beginComputePass({ timestampWrites: { querySet: ts.set, endOfPassWriteIndex: 1 } });
    pass.end();
    encoder.resolveQuerySet(ts.set, 0, 2, ts.resolve, 0);
    this.#timestamps = null;
  }

  /** Submits everything recorded so far (no-op when nothing is). */
  flush(): void {
    if (this.#encoder === null) return;
    const encoder = this.#begin(); // ends the open pass
    const metaBuffer = this.#metaBuffer as GPUBuffer;
    if (this.#metaWords > 0) this.device.queue.writeBuffer(metaBuffer, 0, this.#metaHost.subarray(0, this.#metaWords));
    this.device.queue.submit([encoder.finish()]);
    this.stats.submits++;
    this.#encoder = null;
    this.#metaBuffer = null;
    this.metaPool.release(metaBuffer);
    for (const { pool, buffer } of this.#deferred.splice(0)) pool.release(buffer);
  }
}

/** Usage flags of metadata buffers (COPY_SRC: small uploads are copied out of them). */
export const META_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;

/** Uploads up to this size travel inside the command batch. */
export const SMALL_UPLOAD_BYTES = 4096;
