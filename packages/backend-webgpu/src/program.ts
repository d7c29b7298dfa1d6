// What a WGSL compute program is to this backend: a typed object with a cache
// key, its source, workgroup size, dispatch shape and bindings. Not the runner.
import { BackendError } from "@bitnet-quantize/tensor";

/**
 * The most iterations any shader loop of this backend runs in one invocation.
 * Drivers stop or kill long loops (llvmpipe ends a loop after 65,535
 * iterations and the result is silently wrong; real GPUs have watchdogs), so
 * programs split longer work across workgroups and passes
 * ({@link SPLIT_LOOP_ITERATIONS} per invocation) or refuse it with a
 * `BackendError`.
 *
 * @example
 * ```ts
 * if (n > MAX_LOOP_ITERATIONS) throw new BackendError(`${n} iterations per invocation`);
 * ```
 */
export const MAX_LOOP_ITERATIONS = 16384;

/**
 * Iterations per invocation of the programs that split long work (reductions,
 * matmul over K).
 *
 * @example
 * ```ts
 * const slices = Math.ceil(k / SPLIT_LOOP_ITERATIONS);
 * ```
 */
export const SPLIT_LOOP_ITERATIONS = 4096;

/**
 * How a program binds one storage buffer (binding index = position in the list).
 *
 * @example
 * ```ts
 * const bindings: BindingKind[] = ["read", "read", "write"]; // a, b, out
 * ```
 */
export type BindingKind = "read" | "write";

/**
 * One compute dispatch: the pipeline cache compiles `wgsl` once per `key`.
 * Bindings are `@group(0) @binding(i)` in order; the last one is always the
 * program's metadata (`array<u32>`, read-only) and is added by the runner, so
 * `bindings` lists only the data buffers.
 *
 * @example
 * ```ts
 * const p: Program = { key: "fill", wgsl, workgroupSize: [64, 1, 1], dispatch: [4, 1, 1], bindings: ["write"] };
 * ```
 */
export interface Program {
  /** Identifies the WGSL source: equal keys mean equal sources. */
  readonly key: string;
  /** The WGSL source, entry point `main`. */
  readonly wgsl: string;
  /** `@workgroup_size(x, y, z)` of the source. */
  readonly workgroupSize: readonly [number, number, number];
  /** Workgroups to dispatch in x, y, z. */
  readonly dispatch: readonly [number, number, number];
  /** Data bindings in order (metadata excluded). */
  readonly bindings: readonly BindingKind[];
}

/**
 * Device limits the program builders need.
 *
 * @example
 * ```ts
 * const limits: KernelLimits = { maxInvocations: 256, maxWorkgroupSizeX: 256, maxWorkgroupsPerDimension: 65535 };
 * ```
 */
export interface KernelLimits {
  readonly maxInvocations: number;
  readonly maxWorkgroupSizeX: number;
  readonly maxWorkgroupsPerDimension: number;
}

/**
 * A flat workgroup size for one-thread-per-element programs: 256, or less where the device allows less.
 *
 * @example
 * ```ts
 * flatWorkgroupSize({ maxInvocations: 128, maxWorkgroupSizeX: 128, maxWorkgroupsPerDimension: 65535 }); // 128
 * ```
 */
export function flatWorkgroupSize(limits: KernelLimits): number {
  return Math.min(256, limits.maxInvocations, limits.maxWorkgroupSizeX);
}

/**
 * Spreads `groups` workgroups over x and y so that neither exceeds the
 * per-dimension limit; shaders rebuild the linear index with {@link WGSL_GROUP_INDEX}.
 *
 * @example
 * ```ts
 * dispatch2d(70000, 65535); // [35000, 2, 1]
 * ```
 */
export function dispatch2d(groups: number, maxPerDim: number): [number, number, number] {
  if (groups <= maxPerDim) return [Math.max(groups, 1), 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new BackendError(`webgpu: ${groups} workgroups exceed the device's ${maxPerDim}^2 per dispatch`);
  return [Math.ceil(groups / y), y, 1];
}

/** WGSL: the linear workgroup index of a {@link dispatch2d} dispatch (needs `wid` and `nwg` builtins). */
export const WGSL_GROUP_INDEX = "(wid.y * nwg.x + wid.x)";

/** WGSL: the builtins every flat program declares on `main`. */
export const WGSL_FLAT_BUILTINS =
  "@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32";

/**
 * WGSL helpers shared by programs that read metadata: `meta` is bound last.
 * `stridedOffset(i, ndim, shapeAt, stridesAt, offset)` maps a row-major index
 * to a storage offset through shape and strides held in `meta`.
 *
 * @example
 * ```ts
 * const src = `${wgslMeta(3)}\n${WGSL_STRIDED}`;
 * ```
 */
export const WGSL_STRIDED = /* wgsl */ `
fn stridedOffset(i: u32, ndim: u32, shapeAt: u32, stridesAt: u32, offset: u32) -> u32 {
  var rem = i;
  var off = offset;
  for (var d = i32(ndim) - 1; d >= 0; d--) {
    let s = md[shapeAt + u32(d)];
    off += (rem % s) * md[stridesAt + u32(d)];
    rem = rem / s;
  }
  return off;
}`;

/**
 * WGSL NaN test on the bits, immune to compilers that assume no NaN, and
 * `nan()`, `posInf()`, `negInf()`.
 *
 * @example
 * ```ts
 * const src = `${WGSL_IS_NAN}\nfn f(x: f32) -> bool { return isNan(x); }`;
 * ```
 */
export const WGSL_IS_NAN = /* wgsl */ `
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// loaded from private variables: a constant NaN or infinity is a shader-creation error
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> POS_INF_BITS: u32 = 0x7f800000u;
var<private> NEG_INF_BITS: u32 = 0xff800000u;
fn nan() -> f32 { return bitcast<f32>(NAN_BITS); }
fn posInf() -> f32 { return bitcast<f32>(POS_INF_BITS); }
fn negInf() -> f32 { return bitcast<f32>(NEG_INF_BITS); }`;

/**
 * The WGSL declaration of the metadata binding at index `binding`.
 *
 * @example
 * ```ts
 * wgslMeta(2); // "@group(0) @binding(2) var<storage, read> md: array<u32>;"
 * ```
 */
export function wgslMeta(binding: number): string {
  return `@group(0) @binding(${binding}) var<storage, read> md: array<u32>;`;
}

/**
 * The WGSL declaration of data binding `binding` named `name` holding `type`.
 *
 * @example
 * ```ts
 * wgslBuffer(0, "x", "f32", "read"); // "@group(0) @binding(0) var<storage, read> x: array<f32>;"
 * ```
 */
export function wgslBuffer(binding: number, name: string, type: string, kind: BindingKind): string {
  return `@group(0) @binding(${binding}) var<storage, ${kind === "read" ? "read" : "read_write"}> ${name}: array<${type}>;`;
}
