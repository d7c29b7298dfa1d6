// Reusable table memory for the lookup-table kernels: tables are rebuilt in
// full on every call, so one buffer per element type, grown when too small,
// spares an allocation (and the GC work) per matmul. Kernels never re-enter,
// and each worker thread has its own module instance.

let int16: Int16Array | undefined;
let float32: Float32Array | undefined;

/**
 * A table of at least `size` entries (contents undefined: callers overwrite it).
 *
 * @example
 * ```ts
 * const t = scratchTable(true, 81 * 64); // Int16Array, length >= 5184
 * ```
 */
export function scratchTable(isInt: boolean, size: number): Int16Array | Float32Array {
  if (isInt) {
    if (int16 === undefined || int16.length < size) int16 = new Int16Array(size);
    return int16;
  }
  if (float32 === undefined || float32.length < size) float32 = new Float32Array(size);
  return float32;
}
