// The 4-codes-per-byte U8 packing of Microsoft's bitnet-b1.58-2B-4T safetensors (transformers'
// pack_weights / unpack_weights): rows packed along the output axis in four stacked quarters.
// The layout is written out at unpackHfTernary below. Not TQ2_0, not I2_S (those pack along rows, other bit orders).
import { HfCheckpointError } from "./hf-error.js";

/**
 * Unpacks a U8 tensor of shape [R, inFeatures] into ternary codes of shape
 * [outFeatures, inFeatures] (row-major Int8Array): with R = ⌈out/4⌉, code
 * t[i·R + r][k] = ((packed[r][k] >> 2i) & 3) − 1. Rows past `outFeatures` in the last
 * quarter must be padding; a code of 3 (never written) is an error.
 *
 * @throws HfCheckpointError naming `name` for a wrong size or an invalid code.
 * @example
 * ```ts
 * unpackHfTernary(new Uint8Array([0b10100001]), 4, 1, "w"); // Int8Array [0, -1, 1, 1]
 * ```
 */
export function unpackHfTernary(packed: Uint8Array, outFeatures: number, inFeatures: number, name: string): Int8Array {
  const R = Math.ceil(outFeatures / 4);
  if (packed.length !== R * inFeatures) {
    throw new HfCheckpointError(`${name}: packed U8 weight has ${packed.length} bytes, expected [${R}, ${inFeatures}] for ${outFeatures} output rows`);
  }
  const out = new Int8Array(outFeatures * inFeatures);
  for (let i = 0; i < 4; i++) {
    for (let r = 0; r < R; r++) {
      const row = i * R + r;
      if (row >= outFeatures) break;
      for (let k = 0; k < inFeatures; k++) {
        const c = (packed[r * inFeatures + k] >>> (2 * i)) & 3;
        if (c === 3) throw new HfCheckpointError(`${name}: packed code 3 at row ${row}, column ${k}; valid codes are 0, 1, 2 (−1, 0, +1)`);
        out[row * inFeatures + k] = c - 1;
      }
    }
  }
  return out;
}

/**
 * Packs ternary codes [out, in] (values −1, 0, 1) into the 2B-4T U8 layout
 * [⌈out/4⌉, in]. When `out` is not a multiple of 4 the last quarter's missing rows
 * keep zero bits; no reader looks at them.
 *
 * @example
 * ```ts
 * packHfTernary(new Int8Array([0, -1, 1, 1]), 4, 1); // Uint8Array [0b10100001]
 * ```
 */
export function packHfTernary(codes: Int8Array, outFeatures: number, inFeatures: number): Uint8Array {
  const R = Math.ceil(outFeatures / 4);
  const out = new Uint8Array(R * inFeatures);
  for (let row = 0; row < outFeatures; row++) {
    const i = Math.floor(row / R);
    const r = row % R;
    for (let k = 0; k < inFeatures; k++) out[r * inFeatures + k] |= (codes[row * inFeatures + k] + 1) << (2 * i);
  }
  return out;
}
