// The reference twins of the block decoders: each element computed on its own from the per-element
// formulas (ggml's dequantize_row_* restated per element), with f32 rounding spelled out.
const f32 = Math.fround;

function f16(b: Uint8Array, at: number): number {
  const h = b[at] | (b[at + 1] << 8);
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const m = h & 1023;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}
const i8 = (v: number): number => (v > 127 ? v - 256 : v);

type Element = (block: Uint8Array, e: number) => number;

const ELEMENT: Record<string, { size: number; bytes: number; element: Element }> = {
  Q4_0: {
    size: 32,
    bytes: 18,
    element: (b, e) => {
      const q = e < 16 ? b[2 + e] & 15 : b[2 + e - 16] >> 4;
      return f32((q - 8) * f16(b, 0));
    },
  },
  Q4_1: {
    size: 32,
    bytes: 20,
    element: (b, e) => {
      const q = e < 16 ? b[4 + e] & 15 : b[4 + e - 16] >> 4;
      return f32(f32(q * f16(b, 0)) + f16(b, 2));
    },
  },
  Q5_0: {
    size: 32,
    bytes: 22,
    element: (b, e) => {
      const h = (b[2] | (b[3] << 8) | (b[4] << 16) | (b[5] << 24)) >>> 0;
      const low = e < 16 ? b[6 + e] & 15 : b[6 + e - 16] >> 4;
      return f32(((low | (((h >>> e) & 1) << 4)) - 16) * f16(b, 0));
    },
  },
  Q5_1: {
    size: 32,
    bytes: 24,
    element: (b, e) => {
      const h = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
      const low = e < 16 ? b[8 + e] & 15 : b[8 + e - 16] >> 4;
      return f32(f32((low | (((h >>> e) & 1) << 4)) * f16(b, 0)) + f16(b, 2));
    },
  },
  Q8_0: { size: 32, bytes: 34, element: (b, e) => f32(i8(b[2 + e]) * f16(b, 0)) },
  Q2_K: {
    size: 256,
    bytes: 84,
    element: (b, e) => {
      const n = e >> 7, j = (e >> 5) & 3, h = (e >> 4) & 1, l = e & 15;
      const s = 8 * n + 2 * j + h;
      const q = (b[16 + 32 * n + 16 * h + l] >> (2 * j)) & 3;
      const sc = b[s];
      return f32(f32(f32(f16(b, 80) * (sc & 15)) * q) - f32(f16(b, 82) * (sc >> 4)));
    },
  },
  Q3_K: {
    size: 256,
    bytes: 110,
    element: (b, e) => {
      const n = e >> 7, j = (e >> 5) & 3, h = (e >> 4) & 1, l = e & 15;
      const s = 8 * n + 2 * j + h;
      const hbit = (b[16 * h + l] >> (4 * n + j)) & 1;
      const q = ((b[32 + 32 * n + 16 * h + l] >> (2 * j)) & 3) - (hbit ? 0 : 4);
      const lo = s < 8 ? b[96 + s] & 15 : b[96 + s - 8] >> 4;
      const hi = (b[96 + 8 + (s & 3)] >> (2 * (s >> 2))) & 3;
      const sc = (lo | (hi << 4)) - 32;
      return f32(f32(f16(b, 108) * sc) * q);
    },
  },
  Q4_K: { size: 256, bytes: 144, element: (b, e) => k45(b, e, false) },
  Q5_K: { size: 256, bytes: 176, element: (b, e) => k45(b, e, true) },
  Q6_K: {
    size: 256,
    bytes: 210,
    element: (b, e) => {
      const n = e >> 7, g = (e >> 5) & 3, l = e & 31;
      const byte = b[64 * n + 32 * (g & 1) + l];
      const lo = g < 2 ? byte & 15 : byte >> 4;
      const hi = (b[128 + 32 * n + l] >> (2 * g)) & 3;
      const q = (lo | (hi << 4)) - 32;
      return f32(f32(f16(b, 208) * i8(b[192 + 8 * n + 2 * g + (l >> 4)])) * q);
    },
  },
  Q8_K: {
    size: 256,
    bytes: 292,
    element: (b, e) => f32(new DataView(b.buffer, b.byteOffset).getFloat32(0, true) * i8(b[4 + e])),
  },
};

function k45(b: Uint8Array, e: number, five: boolean): number {
  const c = e >> 6, h = (e >> 5) & 1, l = e & 31;
  const s = 2 * c + h;
  const qs = five ? 48 : 16;
  const byte = b[qs + 32 * c + l];
  let q = h ? byte >> 4 : byte & 15;
  if (five && (b[16 + l] >> (2 * c + h)) & 1) q += 16;
  const S = (k: number): number => b[4 + k];
  const sc = s < 4 ? S(s) & 63 : (S(s + 4) & 15) | ((S(s - 4) >> 6) << 4);
  const mn = s < 4 ? S(s + 4) & 63 : (S(s + 4) >> 4) | ((S(s) >> 6) << 4);
  return f32(f32(f32(f16(b, 0) * sc) * q) - f32(f16(b, 2) * mn));
}

/** Block size and bytes of each type the twin knows. */
export const REFERENCE_TYPES: Record<string, { size: number; bytes: number }> = Object.fromEntries(
  Object.entries(ELEMENT).map(([k, v]) => [k, { size: v.size, bytes: v.bytes }]),
);

/** The twin: decodes `count` elements of `type` one at a time from the spec's formulas. */
export function referenceDequantize(type: string, bytes: Uint8Array, count: number): Float32Array {
  const t = ELEMENT[type];
  if (t === undefined) throw new Error(`no reference for ${type}`);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const b = Math.floor(i / t.size);
    out[i] = t.element(bytes.subarray(b * t.bytes, (b + 1) * t.bytes), i % t.size);
  }
  return out;
}

/** The I2_S twin: element i of the flattened tensor from the 128-block layout. */
export function referenceI2S(bytes: Uint8Array, count: number): Float32Array {
  const scale = new DataView(bytes.buffer, bytes.byteOffset).getFloat32(count / 4, true);
  return Float32Array.from({ length: count }, (_, i) => {
    const b = Math.floor(i / 128), j = i % 128;
    const code = (bytes[32 * b + (j % 32)] >> (6 - 2 * Math.floor(j / 32))) & 3;
    return (code - 1) * scale;
  });
}
