// The CPU backend: storages are plain typed arrays; every primitive is a
// synchronous loop in cpu/*.ts. This is the default backend.
import type { Backend, BinaryOp, ReduceOp, Storage, TernaryMatmulArgs, TernaryMatmulManyArgs, UnaryOp, View } from "../backend.js";
import { type DType, type DTypeMap, type TypedArray, allocTyped, dtypeOfArray } from "../dtype.js";
import { ArgumentError, BackendError, DTypeError } from "../errors.js";
import { isContiguous } from "../layout.js";
import { numel } from "../shape.js";
import { binaryKernel, unaryKernel } from "./elementwise.js";
import { concatKernel, gatherKernel, scatterAddKernel } from "./gather.js";
import { type FloatArray, type MatmulKernel, matmulAxpy, matmulBlocked } from "./matmul.js";
import { reduceKernel } from "./reduce.js";
import { rowMajor } from "./strided.js";
import { type TernaryKernel, eachProduct, ternaryMatmulCpu, ternaryMatmulCpuJs, ternaryMatmulManyCpu } from "../quant/ternary-matmul.js";
import { binaryWasm } from "../wasm/elementwise-wasm.js";
import { matmulWasmNN, matmulWasmNT } from "../wasm/matmul-wasm.js";
import { sumWasm } from "../wasm/reduce-wasm.js";
import { threadedTernaryMatmul, threadedTernaryMatmulMany } from "../wasm/kernel-threads.js";
import { adoptWords, ternaryWasmApplies } from "../wasm/ternary-wasm.js";
import { wasmSimdSupported } from "../wasm/wasm-kernels.js";

/**
 * A CPU storage: the typed array itself.
 *
 * @example
 * ```ts
 * const s = cpuBackend().upload(new Int8Array([1, -1]), "int8") as CpuStorage;
 * s.data; // Int8Array [1, -1]
 * ```
 */
export class CpuStorage implements Storage {
  #data: TypedArray;
  constructor(
    readonly backend: Backend,
    data: TypedArray,
  ) {
    this.#data = data;
  }
  /** The typed array (the same one until {@link CpuStorage.relocate} moves it). */
  get data(): TypedArray {
    return this.#data;
  }
  /**
   * Replaces the backing array by `moved`, an array of the same dtype,
   * length and values living elsewhere (the backend moves frozen ternary
   * weights into the kernels' shared wasm memory this way, so that no second
   * copy stays resident).
   *
   * @example
   * ```ts
   * const s = cpuBackend().upload(new Uint32Array([5]), "uint32") as CpuStorage;
   * s.relocate(new Uint32Array([5]));
   * ```
   */
  relocate(moved: TypedArray): void {
    const d = this.#data;
    if (dtypeOfArray(moved) !== dtypeOfArray(d) || moved.length !== d.length) {
      throw new BackendError(`CpuStorage.relocate: needs a ${dtypeOfArray(d)} array of ${d.length} values, got ${dtypeOfArray(moved)} of ${moved.length}`);
    }
    this.#data = moved;
  }
  get dtype(): DType {
    return dtypeOfArray(this.data) as DType;
  }
  get length(): number {
    return this.data.length;
  }
}

/** True when the last two dimensions are a transposed contiguous matrix (B = Wᵀ, W row-major): then Bt is free. */
function isTransposedContiguous(l: { readonly shape: readonly number[]; readonly strides: readonly number[] }): boolean {
  const nd = l.shape.length;
  return l.strides[nd - 2] === 1 && l.strides[nd - 1] === l.shape[nd - 2];
}

function dataOf(backend: Backend, s: Storage): TypedArray {
  if (!(s instanceof CpuStorage) || s.backend !== backend) {
    throw new BackendError(`cpu: got a storage of backend "${s.backend.name}"; move it with .to(cpu) first`);
  }
  return s.data;
}

/**
 * Moves whole packed-weight storages the WebAssembly kernel will read into
 * the kernels' shared wasm memory, once (see `adoptWords`): the kernel then
 * reads them in place, and the JavaScript copy is dropped.
 */
function residentWeights(backend: Backend, args: TernaryMatmulArgs): void {
  const s = args.w.storage;
  if (!(s instanceof CpuStorage) || s.backend !== backend || !(s.data instanceof Uint32Array)) return;
  const l = args.w.layout;
  if (!isContiguous(l) || l.offset !== 0 || numel(l.shape) !== s.data.length) return;
  const x = dataOf(backend, args.x.storage);
  if (!ternaryWasmApplies(x, args.k, args.groupSize)) return;
  const moved = adoptWords(s.data);
  if (moved !== undefined && moved !== s.data) s.relocate(moved);
}

/** Options of {@link cpuBackend}. */
export interface CpuBackendOptions {
  /**
   * The dot-form float matmul kernel. Default: the WebAssembly SIMD kernels
   * for float32 (see `simd`), `matmulBlocked` otherwise;
   * `@bitnet-quantize/tensor/threads` gives a multi-threaded one. When given,
   * it is used for every float matmul.
   */
  readonly matmul?: MatmulKernel;
  /**
   * The packed ternary kernel (default `ternaryMatmulCpu`, which runs the
   * WebAssembly kernel where it applies, or `ternaryMatmulCpuJs` when `simd`
   * is false); `@bitnet-quantize/tensor/threads` gives a multi-threaded one.
   */
  readonly ternaryMatmul?: TernaryKernel;
  /**
   * Upload into `SharedArrayBuffer` memory (default false), so that a thread
   * pool shares uploaded weights with its workers instead of copying them.
   */
  readonly sharedMemory?: boolean;
  /**
   * Run the float32 matmul, the int8 ternary matmul, the float32
   * add/sub/mul/div and the float32 sum on WebAssembly kernels where the
   * engine validates WebAssembly SIMD (default true). `false` keeps
   * every op on the plain JavaScript kernels (their reference twins); results
   * are identical for the ternary matmul and equal up to float32 rounding for
   * the float matmul. A `ternaryMatmul` kernel given explicitly (a thread
   * pool) makes its own choice (see `createTernaryPool`'s `simd`).
   */
  readonly simd?: boolean;
  /**
   * Threads (the calling one included) for large WebAssembly ternary
   * products: their output rows are split over worker threads that share
   * the kernels' wasm memory, with results identical to one thread. Default:
   * the machine's available parallelism, at most 4, in Node 20.16+; 1
   * elsewhere. In a browser, a cross-origin isolated page may ask for more
   * (module workers from `kernel-worker.js` beside the tensor package's code,
   * which the app must serve). `1` keeps every product on the calling thread. The workers start at the first large product and take
   * rows once ready; they never keep the process alive. Ignored when
   * `ternaryMatmul` is given or `simd` is false.
   */
  readonly threads?: number;
}

/** A typed array of `length` elements over a new SharedArrayBuffer. */
function allocShared<D extends DType>(dtype: D, length: number): DTypeMap[D] {
  const probe = allocTyped(dtype, 0);
  const ctor = probe.constructor as new (buffer: SharedArrayBuffer) => DTypeMap[D];
  return new ctor(new SharedArrayBuffer(length * probe.BYTES_PER_ELEMENT));
}

/** The backends cpuBackend made, and whether their storages must be shared memory. */
const cpuBackends = new WeakMap<Backend, { readonly sharedMemory: boolean }>();

/**
 * True when `b` was made by {@link cpuBackend} and may keep `data` itself as
 * a storage: any array, or, for a `sharedMemory` backend, one over a
 * SharedArrayBuffer (internal: packedWordsTensor takes arrays over with it).
 *
 * @example
 * ```ts
 * cpuBackendCanAdopt(cpuBackend(), new Uint32Array(4)); // true
 * ```
 */
export function cpuBackendCanAdopt(b: Backend, data: TypedArray): boolean {
  const info = cpuBackends.get(b);
  return info !== undefined && (!info.sharedMemory || data.buffer instanceof SharedArrayBuffer);
}

/**
 * Creates a CPU backend. Every call returns a new, independent backend object;
 * the library's default CPU backend is `defaultCpuBackend()`.
 *
 * @example
 * ```ts
 * const cpu = cpuBackend();
 * const s = cpu.upload(new Float32Array([1, 4]), "float32");
 * cpu.readSync(cpu.unary("sqrt", { storage: s, layout: contiguousLayout([2]) })); // Float32Array [1, 2]
 * ```
 */
export function cpuBackend(opts: CpuBackendOptions = {}): Backend & { readSync(storage: Storage): TypedArray } {
  const matmulKernel = opts.matmul ?? matmulBlocked;
  const shared = opts.sharedMemory === true && typeof SharedArrayBuffer !== "undefined";
  const simd = (opts.simd ?? true) && wasmSimdSupported();
  const wasmMatmul = simd && opts.matmul === undefined;
  if (opts.threads !== undefined && (!Number.isInteger(opts.threads) || opts.threads < 1)) throw new ArgumentError(`cpuBackend: threads must be a positive integer, got ${opts.threads}`);
  const ternaryKernel = opts.ternaryMatmul ?? (simd ? (opts.threads === 1 ? ternaryMatmulCpu : threadedTernaryMatmul(opts.threads)) : ternaryMatmulCpuJs);
  const ternaryMany =
    opts.ternaryMatmul !== undefined ? eachProduct(opts.ternaryMatmul) : simd ? (opts.threads === 1 ? ternaryMatmulManyCpu : threadedTernaryMatmulMany(opts.threads)) : eachProduct(ternaryMatmulCpuJs);
  const backend: Backend & { readSync(storage: Storage): TypedArray } = {
    name: "cpu",
    upload<D extends DType>(data: DTypeMap[D], dtype: D): Storage {
      const copy = shared ? allocShared(dtype, data.length) : allocTyped(dtype, data.length);
      copy.set(data);
      return new CpuStorage(backend, copy);
    },
    alloc(dtype: DType, length: number): Storage {
      return new CpuStorage(backend, allocTyped(dtype, length));
    },
    read(storage: Storage): Promise<TypedArray> {
      return Promise.resolve(backend.readSync(storage));
    },
    readSync(storage: Storage): TypedArray {
      return dataOf(backend, storage).slice();
    },
    free(): void {
      // garbage collection frees typed arrays
    },
    unary(op: UnaryOp, x: View): Storage {
      const src = rowMajor(dataOf(backend, x.storage), x.layout);
      const out = allocTyped(x.storage.dtype, src.length);
      unaryKernel(op, src, out);
      return new CpuStorage(backend, out);
    },
    binary(op: BinaryOp, a: View, b: View, outDtype: DType): Storage {
      const x = rowMajor(dataOf(backend, a.storage), a.layout);
      const y = rowMajor(dataOf(backend, b.storage), b.layout);
      const out = allocTyped(outDtype, x.length);
      if (!simd || !binaryWasm(op, x, y, out)) binaryKernel(op, x, y, out);
      return new CpuStorage(backend, out);
    },
    reduce(op: ReduceOp, x: View, axes: readonly number[]): Storage {
      const keptShape = x.layout.shape.filter((_, d) => !axes.includes(d));
      const outDtype: DType = op === "argmax" || op === "argmin" ? "int32" : x.storage.dtype;
      const out = allocTyped(outDtype, numel(keptShape));
      reduceKernel(op, dataOf(backend, x.storage), x.layout, axes, out, simd ? sumWasm : undefined);
      return new CpuStorage(backend, out);
    },
    where(cond: View, a: View, b: View): Storage {
      const c = rowMajor(dataOf(backend, cond.storage), cond.layout);
      const x = rowMajor(dataOf(backend, a.storage), a.layout);
      const y = rowMajor(dataOf(backend, b.storage), b.layout);
      const out = allocTyped(a.storage.dtype, c.length);
      for (let i = 0; i < c.length; i++) out[i] = c[i] !== 0 ? x[i] : y[i];
      return new CpuStorage(backend, out);
    },
    cast(x: View, dtype: DType): Storage {
      const src = rowMajor(dataOf(backend, x.storage), x.layout);
      const out = allocTyped(dtype, src.length);
      if (dtype === "float32" || dtype === "float64") out.set(src);
      else for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
      return new CpuStorage(backend, out);
    },
    contiguous(x: View): Storage {
      const src = rowMajor(dataOf(backend, x.storage), x.layout);
      return new CpuStorage(backend, src.slice());
    },
    matmul(a: View, b: View): Storage {
      const dtype = a.storage.dtype;
      if (dtype !== "float32" && dtype !== "float64") throw new DTypeError(`matmul: cpu kernel needs float32 or float64, got ${dtype}`);
      const as = a.layout.shape;
      const nd = as.length;
      const M = as[nd - 2];
      const K = as[nd - 1];
      const N = b.layout.shape[nd - 1];
      const batch = numel(as.slice(0, nd - 2));
      const A = rowMajor(dataOf(backend, a.storage), a.layout) as FloatArray;
      const bl = b.layout;
      const out = allocTyped(dtype, batch * M * N);
      const transposed = isTransposedContiguous(bl);
      // WebAssembly SIMD: Bᵀ row-major (a linear layer's weight) read in dot form, anything else as row-major B;
      // except a row-major B with at most 2 rows of A, which the JavaScript axpy kernel streams once, where wasm
      // first copies all of B (measured [M,4096] @ [4096,4096], JS axpy / wasm: M = 1 12.5 / 24.7 ms,
      // M = 2 25 / 26 ms, M = 3 38-40 / 27-29 ms, M = 4 50 / 26 ms)
      if (wasmMatmul && dtype === "float32" && (transposed || M > 2)) {
        const B = transposed
          ? rowMajor(dataOf(backend, b.storage), { shape: [...bl.shape.slice(0, nd - 2), N, K], strides: [...bl.strides.slice(0, nd - 2), bl.strides[nd - 1], bl.strides[nd - 2]], offset: bl.offset })
          : rowMajor(dataOf(backend, b.storage), bl);
        let ok = true;
        for (let i = 0; i < batch && ok; i++) {
          const ai = A.subarray(i * M * K, (i + 1) * M * K);
          const bi = B.subarray(i * K * N, (i + 1) * K * N) as FloatArray;
          const ci = out.subarray(i * M * N, (i + 1) * M * N);
          ok = transposed ? matmulWasmNT(ai, bi, ci, M, N, K) : matmulWasmNN(ai, bi, ci, M, N, K);
        }
        if (ok) return new CpuStorage(backend, out);
        // wasm memory could not grow: the JavaScript kernels below
      }
      if (M <= 4 && (bl.strides[nd - 1] === 1 || N === 1) && !isTransposedContiguous(bl)) {
        // few rows: stream B's rows instead of paying for a transposed copy of B
        const B = rowMajor(dataOf(backend, b.storage), bl) as FloatArray;
        for (let i = 0; i < batch; i++) {
          matmulAxpy(A.subarray(i * M * K, (i + 1) * M * K), B.subarray(i * K * N, (i + 1) * K * N), out.subarray(i * M * N, (i + 1) * M * N), M, N, K);
        }
        return new CpuStorage(backend, out);
      }
      // Bt: b with its last two dimensions swapped, row-major: [..., N, K]
      const btLayout = {
        shape: [...bl.shape.slice(0, nd - 2), N, K],
        strides: [...bl.strides.slice(0, nd - 2), bl.strides[nd - 1], bl.strides[nd - 2]],
        offset: bl.offset,
      };
      const Bt = rowMajor(dataOf(backend, b.storage), btLayout) as FloatArray;
      for (let i = 0; i < batch; i++) {
        matmulKernel(
          A.subarray(i * M * K, (i + 1) * M * K),
          Bt.subarray(i * N * K, (i + 1) * N * K),
          out.subarray(i * M * N, (i + 1) * M * N),
          M,
          N,
          K,
        );
      }
      return new CpuStorage(backend, out);
    },
    concat(inputs: readonly View[], axis: number): Storage {
      const datas = inputs.map((v) => rowMajor(dataOf(backend, v.storage), v.layout));
      const shapes = inputs.map((v) => v.layout.shape);
      const total = datas.reduce((s, d) => s + d.length, 0);
      const out = allocTyped(inputs[0].storage.dtype, total);
      concatKernel(datas, shapes, axis, out);
      return new CpuStorage(backend, out);
    },
    gather(x: View, axis: number, index: View): Storage {
      const src = rowMajor(dataOf(backend, x.storage), x.layout);
      const idx = rowMajor(dataOf(backend, index.storage), index.layout);
      const out = allocTyped(x.storage.dtype, idx.length);
      gatherKernel(src, x.layout.shape, axis, idx, index.layout.shape, out);
      return new CpuStorage(backend, out);
    },
    scatterAdd(shape: readonly number[], axis: number, index: View, src: View): Storage {
      const idx = rowMajor(dataOf(backend, index.storage), index.layout);
      const s = rowMajor(dataOf(backend, src.storage), src.layout);
      const out = allocTyped(src.storage.dtype, numel(shape));
      scatterAddKernel(out, shape, axis, idx, s, index.layout.shape);
      return new CpuStorage(backend, out);
    },
    ternaryMatmul(args: TernaryMatmulArgs): Storage {
      const read = (v: View): TypedArray => rowMajor(dataOf(backend, v.storage), v.layout);
      const M = args.x.layout.shape[0];
      const N = args.w.layout.shape[0];
      if (simd) residentWeights(backend, args);
      const out = new Float32Array(M * N);
      ternaryKernel(read(args.x), read(args.xScale), read(args.w) as Uint32Array, read(args.wScale), M, N, args.k, args.groupSize, out);
      return new CpuStorage(backend, out);
    },
    ternaryMatmulMany(args: TernaryMatmulManyArgs): Storage[] {
      const M = args.x.layout.shape[0];
      const outs = args.weights.map(({ w }) => new Float32Array(M * w.layout.shape[0]));
      ternaryManyInto(args, outs);
      return outs.map((o) => new CpuStorage(backend, o));
    },
    ternaryMatmulManyInto(args: TernaryMatmulManyArgs, outs: readonly Float32Array[]): void {
      ternaryManyInto(args, outs);
    },
  };
  /** Several products of one activation, each written into its `outs[i]`. */
  function ternaryManyInto(args: TernaryMatmulManyArgs, outs: readonly Float32Array[]): void {
    const read = (v: View): TypedArray => rowMajor(dataOf(backend, v.storage), v.layout);
    const M = args.x.layout.shape[0];
    const products = args.weights.map(({ w, wScale }, i) => {
      if (simd) residentWeights(backend, { x: args.x, xScale: args.xScale, w, wScale, k: args.k, groupSize: args.groupSize });
      const N = w.layout.shape[0];
      const out = outs[i];
      if (out === undefined || out.length !== M * N) throw new ArgumentError(`ternaryMatmulManyInto: output ${i} must hold ${M} x ${N} values, got ${out?.length ?? "none"}`);
      return { w: read(w) as Uint32Array, wScale: read(wScale), N, out };
    });
    ternaryMany(read(args.x), read(args.xScale), products, M, args.k, args.groupSize);
  }
  cpuBackends.set(backend, { sharedMemory: shared });
  return backend;
}
