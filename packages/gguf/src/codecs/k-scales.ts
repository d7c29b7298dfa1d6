// The 6-bit scale and min packing shared by Q4_K and Q5_K (ggml's get_scale_min_k4).
// Eight (scale, min) pairs in 12 bytes; nothing else here.

/**
 * Scale `s` (0..7) and its min from the 12 packed bytes at `scales[at..at + 12)`:
 * for s < 4, sc = q[s] & 63 and mn = q[s + 4] & 63; otherwise
 * sc = (q[s + 4] & 15) | (q[s − 4] >> 6) << 4 and mn = (q[s + 4] >> 4) | (q[s] >> 6) << 4.
 * Writes them to `out[0]` and `out[1]`.
 *
 * @example
 * ```ts
 * const out = [0, 0];
 * scaleMinK4(new Uint8Array([5, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]), 0, 0, out); // out = [5, 9]
 * ```
 */
export function scaleMinK4(bytes: Uint8Array, at: number, s: number, out: number[]): void {
  if (s < 4) {
    out[0] = bytes[at + s] & 63;
    out[1] = bytes[at + s + 4] & 63;
  } else {
    out[0] = (bytes[at + s + 4] & 15) | ((bytes[at + s - 4] >>> 6) << 4);
    out[1] = (bytes[at + s + 4] >>> 4) | ((bytes[at + s] >>> 6) << 4);
  }
}
