// The WebGPU backend: every Backend primitive as a WGSL program (programs/*),
// dispatched through one command batch, with a buffer pool and a pipeline
// cache. Storages stay on the GPU until read. Not the kernels themselves.
import {
  type Backend,
  BackendError,
  type BinaryOp,
  type DType,
  type DTypeMap,
  DTypeError,
  type ReduceOp,
  ShapeError,
  type Storage,
  type TernaryMatmulArgs,
  type UnaryOp,
  type View,
  contiguousStrides,
  isContiguous,
} from "@bitnet-quantize/tensor";
import { BufferPool, sizeClass } from "./buffer-pool.js";
import { CommandBatch, META_USAGE, SMALL_UPLOAD_BYTES } from "./command-batch.js";
import { type DeviceRequest, requestDevice } from "./device.js";
import { BufferUsage, MAP_MODE_READ } from "./gpu-constants.js";
import { type GpuDType, checkGpuDType, fromGpuWords, toGpuWords } from "./gpu-dtype.js";
import { PipelineCache } from "./pipeline-cache.js";
import { type KernelLimits, MAX_LOOP_ITERATIONS, type Program } from "./program.js";
import { castProgram } from "./programs/cast.js";
import { concatPrograms } from "./programs/concat.js";
import { binaryProgram, unaryProgram } from "./programs/elementwise.js";
import { gatherProgram, scatterAddProgram } from "./programs/gather.js";
import { matmulV1Program } from "./programs/matmul-v1-naive.js";
import { matmulV2Program } from "./programs/matmul-v2-tiled.js";
import { reducePasses } from "./programs/reduce.js";
import { type TernaryDims, ternaryV1Program } from "./programs/ternary-v1.js";
import { ternaryV2PrepareProgram, ternaryV2Program, ternaryV2Supports } from "./programs/ternary-v2.js";
import { whereProgram } from "./programs/where.js";
import { WebGPUStorage } from "./webgpu-storage.js";

/**
 * Which matmul kernel runs: `auto` picks v2 (tiled) unless M or N is below 16.
 *
 * @example
 * ```ts
 * const k: MatmulKernel = "v1-naive"; // the reference kernel, for tests
 * ```
 */
export type MatmulKernel = "auto" | "v1-naive" | "v2-tiled";

/**
 * Which ternary kernel runs: `v2` falls back to v1 when a weight group splits a 16-code word.
 *
 * @example
 * ```ts
 * await createWebGPUBackend({ gpu, kernels: { ternary: "v1" } });
 * ```
 */
export type TernaryKernel = "v1" | "v2";

/**
 * Options of {@link createWebGPUBackend}.
 *
 * @example
 * ```ts
 * const opts: WebGPUBackendOptions = { gpu: create([]), kernels: { matmul: "v2-tiled" } };
 * ```
 */
export interface WebGPUBackendOptions extends DeviceRequest {
  /** Use this device instead of requesting one (it is not destroyed by `destroy()`). */
  readonly device?: GPUDevice;
  /** Kernel versions (for tests and benchmarks). */
  readonly kernels?: { readonly matmul?: MatmulKernel; readonly ternary?: TernaryKernel };
  /** Use `dot4I8Packed` (default: where the `packed_4x8_integer_dot_product` WGSL feature is reported). */
  readonly dot4?: boolean;
}

/**
 * What the backend found about its device.
 *
 * @example
 * ```ts
 * gpu.info.featureLevel; // "core"
 * ```
 */
export interface WebGPUInfo {
  readonly adapter: string;
  readonly featureLevel: "core" | "compatibility";
  readonly dot4: boolean;
  readonly timestampQuery: boolean;
  readonly limits: KernelLimits;
}

/**
 * Counters for tests and tuning.
 *
 * @example
 * ```ts
 * gpu.stats().pipelines; // number of compiled programs
 * ```
 */
export interface WebGPUStats {
  readonly buffersCreated: number;
  readonly buffersReused: number;
  readonly bytesPooled: number;
  readonly pipelines: number;
  readonly dispatches: number;
  readonly submits: number;
  /** Bind groups created; the other dispatches reused a cached one. */
  readonly bindGroups: number;
}

/**
 * Timing of a span of GPU work recorded into one submission.
 *
 * @example
 * ```ts
 * const t: GpuTiming = await gpu.timeGpu(() => { for (let i = 0; i < 10; i++) gpu.matmul(a, b); });
 * t.ms; // GPU milliseconds for all 10
 * ```
 */
export interface GpuTiming {
  /** GPU time from timestamp queries, or wall time where the device has none. */
  readonly ms: number;
  /** Host wall time from recording to completion. */
  readonly wallMs: number;
  readonly source: "timestamp" | "wall";
  /** Submissions used (1 unless the batch's metadata space ran out). */
  readonly submissions: number;
}

/**
 * The WebGPU {@link Backend}: everything runs on the device; `read` is the
 * only way back to the host. Extra methods control submission and timing.
 *
 * @example
 * ```ts
 * const gpu: WebGPUBackend = await createWebGPUBackend({ gpu: create([]) });
 * await tensor([1, 2], undefined, undefined, gpu).mul(2).data(); // Float32Array [2, 4]
 * ```
 */
export interface WebGPUBackend extends Backend {
  readonly name: "webgpu";
  readonly device: GPUDevice;
  readonly info: WebGPUInfo;
  ternaryMatmul(args: TernaryMatmulArgs): Storage;
  /** Submits the recorded commands now (reads do this themselves). */
  flush(): void;
  /** Submits and waits until the GPU has finished all submitted work. */
  sync(): Promise<void>;
  /** Runs `record` (which issues backend ops) as one submission and times it on the GPU. */
  timeGpu(record: () => void): Promise<GpuTiming>;
  stats(): WebGPUStats;
  /** Frees pooled buffers and, when the backend requested the device itself, destroys it. */
  destroy(): void;
}

const STORAGE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const READ_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;

class WebGPUBackendImpl implements WebGPUBackend {
  readonly name = "webgpu" as const;
  readonly info: WebGPUInfo;
  readonly #pipelines: PipelineCache;
  readonly #storagePool: BufferPool;
  readonly #readPool: BufferPool;
  readonly #metaPool: BufferPool;
  readonly #batch: CommandBatch;
  readonly #finalizer: FinalizationRegistry<GPUBuffer>;
  #lost: string | undefined;
  #error: string | undefined;
  #destroyed = false;
  #batchReused = 0;
  /**
   * The GPU object and adapter the device came from: held so that they live as
   * long as the backend (Dawn for Node tears the device down when its GPU
   * object is garbage collected).
   */
  // eslint-disable-next-line no-unused-private-class-members -- never read: holding the references is its purpose
  readonly #keepAlive: readonly unknown[];

  constructor(
    readonly device: GPUDevice,
    private readonly ownsDevice: boolean,
    adapter: string,
    dot4: boolean,
    private readonly kernels: { matmul: MatmulKernel; ternary: TernaryKernel },
    keepAlive: readonly unknown[],
  ) {
    this.#keepAlive = keepAlive;
    const l = device.limits;
    this.info = {
      adapter,
      featureLevel: device.features.has("core-features-and-limits") ? "core" : "compatibility",
      dot4,
      timestampQuery: device.features.has("timestamp-query"),
      limits: {
        maxInvocations: l.maxComputeInvocationsPerWorkgroup,
        maxWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      },
    };
    this.#pipelines = new PipelineCache(device);
    this.#storagePool = new BufferPool(device, STORAGE_USAGE, 512 * 1024 * 1024, "storage");
    this.#readPool = new BufferPool(device, READ_USAGE, 128 * 1024 * 1024, "readback");
    this.#metaPool = new BufferPool(device, META_USAGE, 4 * 1024 * 1024, "meta");
    this.#batch = new CommandBatch(device, this.#pipelines, this.#metaPool, l.minStorageBufferOffsetAlignment);
    this.#finalizer = new FinalizationRegistry((buffer) => {
      if (!this.#destroyed) this.#batch.release(this.#storagePool, buffer);
    });
    void device.lost.then((info) => {
      this.#lost = `${info.reason}: ${info.message}`;
    });
    device.onuncapturederror = (ev: GPUUncapturedErrorEvent): void => {
      this.#error ??= ev.error.message;
    };
  }

  // ---- storage --------------------------------------------------------------

  #alive(op: string): void {
    if (this.#destroyed) throw new BackendError(`webgpu ${op}: the backend was destroyed`);
    if (this.#lost !== undefined) throw new BackendError(`webgpu ${op}: the GPU device was lost (${this.#lost}); create a new backend`);
  }

  #own(s: Storage, op: string): WebGPUStorage {
    if (!(s instanceof WebGPUStorage) || s.backend !== this) {
      throw new BackendError(`webgpu ${op}: got a storage of backend "${s.backend.name}"; move it with .to(gpu) or await .toAsync(gpu) first`);
    }
    return s;
  }

  /**
   * A storage for `length` elements. Unless `queueWrite` (the caller writes it
   * with queue.writeBuffer, which is not ordered with the open batch), a buffer
   * released earlier in the open batch may be reused.
   */
  #newStorage(dtype: GpuDType, length: number, queueWrite = false): WebGPUStorage {
    const bytes = Math.max(16, length * 4);
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    if (sizeClass(bytes) > limit) {
      throw new BackendError(`webgpu: a storage of ${length} ${dtype} needs ${sizeClass(bytes)} bytes; the device binds at most ${limit} bytes per buffer`);
    }
    let buffer = queueWrite ? null : this.#batch.reuse(this.#storagePool, sizeClass(bytes));
    if (buffer === null) buffer = this.#storagePool.acquire(bytes);
    else this.#batchReused++;
    const s = new WebGPUStorage(this, dtype, length, buffer);
    this.#finalizer.register(s, buffer, s);
    return s;
  }

  #run(op: string, built: { program: Program; meta: Uint32Array }, buffers: readonly GPUBuffer[]): void {
    this.#alive(op);
    this.#batch.run(built.program, buffers, built.meta);
  }

  upload<D extends DType>(data: DTypeMap[D], dtype: D): Storage {
    this.#alive("upload");
    const dt = checkGpuDType(dtype, "upload");
    const words = toGpuWords(data, dt);
    const small = words.length * 4 <= SMALL_UPLOAD_BYTES;
    const s = this.#newStorage(dt, data.length, !small);
    if (words.length === 0) return s;
    if (small) this.#batch.upload(s.buffer, new Uint32Array(words.buffer, words.byteOffset, words.length));
    else this.device.queue.writeBuffer(s.buffer, 0, words);
    return s;
  }

  alloc(dtype: DType, length: number): Storage {
    this.#alive("alloc");
    const s = this.#newStorage(checkGpuDType(dtype, "alloc"), length);
    this.#batch.clear(s.buffer, Math.max(4, length * 4));
    return s;
  }

  async read(storage: Storage): Promise<DTypeMap[DType]> {
    this.#alive("read");
    const s = this.#own(storage, "read");
    const dtype = checkGpuDType(s.dtype, "read");
    const bytes = s.length * 4;
    if (bytes === 0) {
      this.#batch.flush();
      return fromGpuWords(new ArrayBuffer(0), dtype, 0);
    }
    const staging = this.#readPool.acquire(bytes);
    this.#batch.copy(s.buffer, 0, staging, 0, bytes);
    this.#batch.flush();
    try {
      await staging.mapAsync(MAP_MODE_READ, 0, bytes);
    } catch (e) {
      this.#alive("read");
      throw new BackendError(`webgpu read: mapping ${bytes} bytes failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const copy = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.#readPool.release(staging);
    this.#throwIfFailed("read");
    return fromGpuWords(copy, dtype, s.length);
  }

  #throwIfFailed(op: string): void {
    const e = this.#pipelines.takeError() ?? this.#error;
    this.#error = undefined;
    if (e !== undefined) throw new BackendError(`webgpu ${op}: a GPU command failed: ${e}`);
  }

  free(storage: Storage): void {
    const s = this.#own(storage, "free");
    const buffer = s.detach();
    if (buffer === null || this.#destroyed) return;
    this.#finalizer.unregister(s);
    this.#batch.release(this.#storagePool, buffer);
  }

  // ---- elementwise ------------------------------------------------------------

  unary(op: UnaryOp, x: View): Storage {
    const xs = this.#own(x.storage, op);
    const dtype = checkGpuDType(xs.dtype, op);
    const out = this.#newStorage(dtype, numelOf(x.layout.shape));
    if (out.length > 0) this.#run(op, unaryProgram(op, dtype, x.layout, this.info.limits), [xs.buffer, out.buffer]);
    return out;
  }

  binary(op: BinaryOp, a: View, b: View, outDtype: DType): Storage {
    const as = this.#own(a.storage, op);
    const bs = this.#own(b.storage, op);
    const dtype = checkGpuDType(as.dtype, op);
    if (bs.dtype !== dtype) throw new DTypeError(`webgpu ${op}: operands must share a dtype, got ${as.dtype} and ${bs.dtype}`);
    const od = checkGpuDType(outDtype, op);
    const out = this.#newStorage(od, numelOf(a.layout.shape));
    if (out.length > 0) this.#run(op, binaryProgram(op, dtype, a.layout, b.layout, od, this.info.limits), [as.buffer, bs.buffer, out.buffer]);
    return out;
  }

  where(cond: View, a: View, b: View): Storage {
    const cs = this.#own(cond.storage, "where");
    const as = this.#own(a.storage, "where");
    const bs = this.#own(b.storage, "where");
    const dtype = checkGpuDType(as.dtype, "where");
    if (cs.dtype !== "uint8") throw new DTypeError(`webgpu where: cond must be uint8, got ${cs.dtype}`);
    if (bs.dtype !== dtype) throw new DTypeError(`webgpu where: a and b must share a dtype, got ${as.dtype} and ${bs.dtype}`);
    const out = this.#newStorage(dtype, numelOf(cond.layout.shape));
    if (out.length > 0) this.#run("where", whereProgram(dtype, cond.layout, a.layout, b.layout, this.info.limits), [cs.buffer, as.buffer, bs.buffer, out.buffer]);
    return out;
  }

  cast(x: View, dtype: DType): Storage {
    const xs = this.#own(x.storage, "cast");
    const from = checkGpuDType(xs.dtype, "cast");
    const to = checkGpuDType(dtype, "cast");
    const out = this.#newStorage(to, numelOf(x.layout.shape));
    if (out.length > 0) this.#run("cast", castProgram(from, to, x.layout, this.info.limits), [xs.buffer, out.buffer]);
    return out;
  }

  contiguous(x: View): Storage {
    const xs = this.#own(x.storage, "contiguous");
    const dtype = checkGpuDType(xs.dtype, "contiguous");
    const n = numelOf(x.layout.shape);
    const out = this.#newStorage(dtype, n);
    if (n === 0) return out;
    this.#alive("contiguous");
    if (isContiguous(x.layout)) this.#batch.copy(xs.buffer, x.layout.offset * 4, out.buffer, 0, n * 4);
    else this.#run("contiguous", castProgram(dtype, dtype, x.layout, this.info.limits), [xs.buffer, out.buffer]);
    return out;
  }

  // ---- reductions and matmul -----------------------------------------------------

  reduce(op: ReduceOp, x: View, axes: readonly number[]): Storage {
    const xs = this.#own(x.storage, op);
    const dtype = checkGpuDType(xs.dtype, op);
    const outDtype: GpuDType = op === "argmax" || op === "argmin" ? "int32" : dtype;
    const kept = x.layout.shape.filter((_, d) => !axes.includes(d));
    const out = this.#newStorage(outDtype, numelOf(kept));
    if (out.length === 0) return out;
    const passes = reducePasses(op, dtype, x.layout, axes, this.info.limits);
    let inputs: GPUBuffer[] = [xs.buffer];
    let temps: WebGPUStorage[] = [];
    for (const pass of passes) {
      if (pass.final) {
        this.#run(op, pass, [...inputs, out.buffer]);
      } else {
        const pv = this.#newStorage(dtype, pass.outputs);
        const pi = op === "argmax" || op === "argmin" ? [this.#newStorage("uint32", pass.outputs)] : [];
        this.#run(op, pass, [...inputs, pv.buffer, ...pi.map((p) => p.buffer)]);
        for (const t of temps) this.free(t);
        temps = [pv, ...pi];
        inputs = temps.map((t) => t.buffer);
      }
    }
    for (const t of temps) this.free(t);
    return out;
  }

  matmul(a: View, b: View): Storage {
    const as = this.#own(a.storage, "matmul");
    const bs = this.#own(b.storage, "matmul");
    if (as.dtype !== "float32" || bs.dtype !== "float32") {
      throw new DTypeError(`webgpu matmul: needs float32 operands, got ${as.dtype} and ${bs.dtype}`);
    }
    const nd = a.layout.shape.length;
    const m = a.layout.shape[nd - 2];
    const n = b.layout.shape[nd - 1];
    const batch = numelOf(a.layout.shape.slice(0, nd - 2));
    const out = this.#newStorage("float32", batch * m * n);
    if (out.length === 0) return out;
    if (batch > this.info.limits.maxWorkgroupsPerDimension) {
      throw new ShapeError(`webgpu matmul: ${batch} batch matrices exceed the device's ${this.info.limits.maxWorkgroupsPerDimension} workgroups per dimension`);
    }
    const version = this.kernels.matmul === "auto" ? (m < 16 || n < 16 ? "v1-naive" : "v2-tiled") : this.kernels.matmul;
    const built = version === "v1-naive" ? matmulV1Program(a.layout, b.layout, this.info.limits) : matmulV2Program(a.layout, b.layout, this.info.limits);
    const { slices } = built.dims;
    if (slices === 1) {
      this.#run("matmul", built, [as.buffer, bs.buffer, out.buffer]);
      return out;
    }
    // split-K: one partial product per K slice, [batch, slices, M·N], then their sum
    if (batch * slices > this.info.limits.maxWorkgroupsPerDimension) {
      throw new BackendError(
        `webgpu matmul: K = ${built.dims.k} needs ${slices} slices per matrix; ${batch} x ${slices} exceeds the device's ${this.info.limits.maxWorkgroupsPerDimension} workgroups per dimension`,
      );
    }
    const partial = this.#newStorage("float32", batch * slices * m * n);
    this.#run("matmul", built, [as.buffer, bs.buffer, partial.buffer]);
    const mn = m * n;
    const layout = { shape: [batch, slices, mn], strides: [slices * mn, mn, 1], offset: 0 };
    const sum = this.reduce("sum", { storage: partial, layout }, [1]);
    this.free(partial);
    this.free(out);
    return sum;
  }

  // ---- joins and indexing -------------------------------------------------------

  concat(inputs: readonly View[], axis: number): Storage {
    const first = inputs[0];
    if (first === undefined) throw new ShapeError("webgpu concat: needs at least one input");
    const dtype = checkGpuDType(this.#own(first.storage, "concat").dtype, "concat");
    const storages = inputs.map((v) => {
      const vs = this.#own(v.storage, "concat");
      if (vs.dtype !== dtype) throw new DTypeError(`webgpu concat: inputs must share a dtype, got ${dtype} and ${vs.dtype}`);
      return vs;
    });
    const { shape, copies } = concatPrograms(dtype, inputs.map((v) => v.layout), axis, this.info.limits);
    const out = this.#newStorage(dtype, numelOf(shape));
    for (const c of copies) this.#run("concat", c, [storages[c.input].buffer, out.buffer]);
    return out;
  }

  #indexView(index: View, op: string): { view: View; temp: WebGPUStorage | null } {
    const is = this.#own(index.storage, op);
    if (is.dtype === "int32") return { view: index, temp: null };
    const t = this.cast(index, "int32") as WebGPUStorage;
    return { view: { storage: t, layout: { shape: index.layout.shape, strides: contiguousStrides(index.layout.shape), offset: 0 } }, temp: t };
  }

  gather(x: View, axis: number, index: View): Storage {
    const xs = this.#own(x.storage, "gather");
    const dtype = checkGpuDType(xs.dtype, "gather");
    if (index.layout.shape.length > 16) throw new ShapeError(`webgpu gather: at most 16 dimensions, got ${index.layout.shape.length}`);
    const { view, temp } = this.#indexView(index, "gather");
    const out = this.#newStorage(dtype, numelOf(index.layout.shape));
    if (out.length > 0) {
      this.#run("gather", gatherProgram(dtype, x.layout, axis, view.layout, this.info.limits), [xs.buffer, (view.storage as WebGPUStorage).buffer, out.buffer]);
    }
    if (temp !== null) this.free(temp);
    return out;
  }

  scatterAdd(shape: readonly number[], axis: number, index: View, src: View): Storage {
    const ss = this.#own(src.storage, "scatterAdd");
    const dtype = checkGpuDType(ss.dtype, "scatterAdd");
    const { view, temp } = this.#indexView(index, "scatterAdd");
    const out = this.#newStorage(dtype, numelOf(shape));
    if (out.length > 0) {
      this.#run("scatterAdd", scatterAddProgram(dtype, shape, axis, view.layout, src.layout, this.info.limits), [
        (view.storage as WebGPUStorage).buffer,
        ss.buffer,
        out.buffer,
      ]);
    }
    if (temp !== null) this.free(temp);
    return out;
  }

  // ---- packed ternary matmul ---------------------------------------------------------

  /** A contiguous (buffer, element offset) for a view, copying when the view is strided. */
  #flat(v: View, op: string): { buffer: GPUBuffer; offset: number; temp: WebGPUStorage | null } {
    const s = this.#own(v.storage, op);
    if (isContiguous(v.layout)) return { buffer: s.buffer, offset: v.layout.offset, temp: null };
    const t = this.contiguous(v) as WebGPUStorage;
    return { buffer: t.buffer, offset: 0, temp: t };
  }

  ternaryMatmul(args: TernaryMatmulArgs): Storage {
    const op = "ternaryMatmul";
    const { x, xScale, w, wScale, k, groupSize } = args;
    const xd = this.#own(x.storage, op).dtype;
    if (xd !== "int8" && xd !== "float32") throw new DTypeError(`webgpu ${op}: x must be int8 or float32, got ${xd}`);
    const dtypes: [string, View, DType][] = [
      ["xScale", xScale, "float32"],
      ["w", w, "uint32"],
      ["wScale", wScale, "float32"],
    ];
    for (const [name, v, want] of dtypes) {
      const got = this.#own(v.storage, op).dtype;
      if (got !== want) throw new DTypeError(`webgpu ${op}: ${name} must be ${want}, got ${got}`);
    }
    const [m, kx] = x.layout.shape as [number, number];
    const n = w.layout.shape[0];
    const wpr = Math.ceil(k / 16);
    const G = Math.ceil(k / groupSize);
    if (x.layout.shape.length !== 2 || kx !== k) throw new ShapeError(`webgpu ${op}: x must be [M, ${k}], got [${x.layout.shape.join(",")}]`);
    if (w.layout.shape.length !== 2 || w.layout.shape[1] !== wpr) throw new ShapeError(`webgpu ${op}: w must be [N, ${wpr}] (K = ${k}), got [${w.layout.shape.join(",")}]`);
    if (numelOf(xScale.layout.shape) !== m) throw new ShapeError(`webgpu ${op}: xScale must have ${m} elements, got [${xScale.layout.shape.join(",")}]`);
    if (numelOf(wScale.layout.shape) !== n * G) throw new ShapeError(`webgpu ${op}: wScale must be [${n}, ${G}] (groupSize ${groupSize}), got [${wScale.layout.shape.join(",")}]`);
    const out = this.#newStorage("float32", m * n);
    if (out.length === 0) return out;
    const temps: WebGPUStorage[] = [];
    const flat = (v: View): { buffer: GPUBuffer; offset: number } => {
      const f = this.#flat(v, op);
      if (f.temp !== null) temps.push(f.temp);
      return f;
    };
    const xsf = flat(xScale);
    const wf = flat(w);
    const wsf = flat(wScale);
    const intX = xd === "int8";
    const v2 = this.kernels.ternary === "v2" && ternaryV2Supports(k, groupSize);
    const loops = v2 ? Math.ceil(wpr / 16) : Math.max(G, Math.min(groupSize, k)); // v2: at least 16 invocations share a row
    if (loops > MAX_LOOP_ITERATIONS) {
      for (const t of temps) this.free(t);
      this.free(out);
      throw new BackendError(`webgpu ${op}: K = ${k} with groups of ${groupSize} needs ${loops} loop iterations per invocation, more than ${MAX_LOOP_ITERATIONS}`);
    }
    if (v2) {
      const prep = ternaryV2PrepareProgram(intX, x.layout, k, this.info.limits);
      const xp = this.#newStorage(intX ? "uint32" : "float32", prep.length);
      temps.push(xp);
      this.#run(op, prep, [this.#own(x.storage, op).buffer, xp.buffer]);
      const dims: TernaryDims = { m, n, k, groupSize, offsets: [0, xsf.offset, wf.offset, wsf.offset] };
      this.#run(op, ternaryV2Program(intX, this.info.dot4, dims, this.info.limits), [xp.buffer, xsf.buffer, wf.buffer, wsf.buffer, out.buffer]);
    } else {
      const xf = flat(x);
      const dims: TernaryDims = { m, n, k, groupSize, offsets: [xf.offset, xsf.offset, wf.offset, wsf.offset] };
      this.#run(op, ternaryV1Program(intX, dims, this.info.limits), [xf.buffer, xsf.buffer, wf.buffer, wsf.buffer, out.buffer]);
    }
    for (const t of temps) this.free(t);
    return out;
  }

  // ---- control --------------------------------------------------------------------

  flush(): void {
    this.#alive("flush");
    this.#batch.flush();
  }

  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.#throwIfFailed("sync");
  }

  async timeGpu(record: () => void): Promise<GpuTiming> {
    await this.sync();
    const useTs = this.info.timestampQuery;
    const set = useTs ? this.device.createQuerySet({ type: "timestamp", count: 2 }) : null;
    const resolve = useTs ? this.device.createBuffer({ size: 16, usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC }) : null;
    const readback = useTs ? this.device.createBuffer({ size: 16, usage: READ_USAGE }) : null;
    const submitsBefore = this.#batch.stats.submits;
    const t0 = performance.now();
    this.#batch.holdOpen++;
    try {
      if (set !== null && resolve !== null) this.#batch.beginTimestamps(set, resolve);
      record();
      if (resolve !== null && readback !== null) {
        this.#batch.endTimestamps();
        this.#batch.copy(resolve, 0, readback, 0, 16);
      }
    } finally {
      this.#batch.holdOpen--;
    }
    this.#batch.flush();
    await this.device.queue.onSubmittedWorkDone();
    const wallMs = performance.now() - t0;
    const submissions = this.#batch.stats.submits - submitsBefore;
    this.#throwIfFailed("timeGpu");
    if (set === null || resolve === null || readback === null) return { ms: wallMs, wallMs, source: "wall", submissions };
    await readback.mapAsync(MAP_MODE_READ);
    const stamps = new BigUint64Array(readback.getMappedRange().slice(0));
    const begin = stamps[0] ?? 0n;
    const end = stamps[1] ?? 0n;
    readback.unmap();
    set.destroy();
    resolve.destroy();
    readback.destroy();
    return { ms: Number(end - begin) / 1e6, wallMs, source: "timestamp", submissions };
  }

  stats(): WebGPUStats {
    return {
      buffersCreated: this.#storagePool.stats.created,
      buffersReused: this.#storagePool.stats.reused + this.#batchReused,
      bytesPooled: this.#storagePool.stats.bytesFree,
      pipelines: this.#pipelines.size,
      dispatches: this.#batch.stats.dispatches,
      submits: this.#batch.stats.submits,
      bindGroups: this.#batch.stats.bindGroups,
    };
  }

  destroy(): void {
    if (this.#destroyed) return;
    if (this.#lost === undefined) this.#batch.flush();
    this.#destroyed = true;
    this.#storagePool.clear();
    this.#readPool.clear();
    this.#metaPool.clear();
    if (this.ownsDevice) this.device.destroy();
  }
}

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Creates a WebGPU backend. Pass `device` to share one, or `gpu` (in Node the
 * `webgpu` package's `create([])`; in browsers `navigator.gpu`, the default).
 * Throws a `BackendError` when no adapter can be had.
 *
 * @example
 * ```ts
 * import { create } from "webgpu";
 * const gpu = await createWebGPUBackend({ gpu: create([]) });
 * const y = matmul(randn([64, 64], {}, gpu), randn([64, 64], {}, gpu));
 * await y.data(); // Float32Array(4096)
 * ```
 */
export async function createWebGPUBackend(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
  let device: GPUDevice;
  let owns: boolean;
  let adapter: string;
  let gpu: GPU | undefined = options.gpu;
  let adapterObject: GPUAdapter | undefined;
  if (options.device !== undefined) {
    device = options.device;
    owns = false;
    adapter = "device given by the caller";
  } else {
    const got = await requestDevice(options);
    device = got.device;
    gpu = got.gpu;
    owns = true;
    adapter = got.adapterDescription;
    adapterObject = got.adapter;
  }
  const dot4 = options.dot4 ?? (gpu?.wgslLanguageFeatures.has("packed_4x8_integer_dot_product") ?? false);
  return new WebGPUBackendImpl(device, owns, adapter, dot4, {
    matmul: options.kernels?.matmul ?? "auto",
    ternary: options.kernels?.ternary ?? "v2",
  }, [gpu, adapterObject]);
}
