// GGUF projections straight to packed weights: TQ2_0 codes re-packed exactly,
// fp16 block scales kept per row or per 256-block, `.scale` applied, the
// invalid code 3 refused; decoded types must be ternary with one magnitude;
// the packer reused across tensors (its one scratch buffer) gives each
// tensor the words packedProjection gives it alone.
import { describe, expect, it } from "vitest";
import { findTensor, parseGguf, writeGguf } from "@bitnet-quantize/gguf";
import { f16BitsToF32, f32ToF16Bits } from "@bitnet-quantize/gguf/codecs";
import { BitLinear } from "@bitnet-quantize/bitnet";
import { GgufModelError, packedProjection } from "@bitnet-quantize/bitnet/gguf";
import { type CpuStorage, randn } from "@bitnet-quantize/tensor";

const N = 3;
const K = 512;

/** Ternary values [N, K] with magnitude mag(row, block). */
function values(mag: (r: number, b: number) => number): Float32Array {
  const v = new Float32Array(N * K);
  for (let r = 0; r < N; r++) for (let k = 0; k < K; k++) v[r * K + k] = ((((r * 31 + k * 7) % 5) % 3) - 1) * mag(r, k >> 8);
  return v;
}

function fileWith(type: "TQ2_0" | "TQ1_0" | "F16" | "F32", v: Float32Array): { bytes: Uint8Array; file: ReturnType<typeof parseGguf> } {
  const bytes = writeGguf({ metadata: [], tensors: [{ name: "w", shape: [N, K], type, values: v }] });
  return { bytes, file: parseGguf(bytes) };
}

const h = (x: number): number => f16BitsToF32(f32ToF16Bits(x));

describe("packedProjection", () => {
  it("TQ2_0 with one scale per row: codes exact, scale = fp16(d)·.scale, runs like a float weight", () => {
    const v = values((r) => 0.25 * (r + 1));
    const { bytes, file } = fileWith("TQ2_0", v);
    const w = packedProjection(file, bytes, findTensor(file, "w"), 1.5);
    expect(w.scales.shape).toEqual([N, 1]);
    expect(w.groupColumns).toBe(K);
    expect(Array.from(w.scales.dataSync())).toEqual([0, 1, 2].map((r) => Math.fround(h(0.25 * (r + 1)) * 1.5)));
    const layer = BitLinear.fromPacked(w);
    expect(Array.from(layer.quantizedWeight().codes.dataSync())).toEqual(Array.from(v, (x) => Math.sign(x) + 0));
    const x = randn([2, K], { seed: 1 });
    const y = layer.project(x, "float").dataSync();
    const xd = x.dataSync();
    for (let m = 0; m < 2; m++)
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += v[n * K + k] * 1.5 * xd[m * K + k];
        expect(y[m * N + n]).toBeCloseTo(s, 3);
      }
  });

  it("TQ2_0 whose blocks differ in a row: one scale per 256-block, and q8_K still runs", () => {
    const v = values((r, b) => (b === 0 ? 0.5 : 0.125) * (r + 1));
    const { bytes, file } = fileWith("TQ2_0", v);
    const w = packedProjection(file, bytes, findTensor(file, "w"), 1);
    expect(w.scales.shape).toEqual([N, 2]);
    expect(w.groupColumns).toBe(256);
    const layer = BitLinear.fromPacked(w);
    const x = randn([1, K], { seed: 2 });
    const y = layer.project(x, "float").dataSync();
    const yq = layer.project(x, "q8_K").dataSync();
    const xd = x.dataSync();
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += v[n * K + k] * xd[k];
      expect(y[n]).toBeCloseTo(s, 3);
      expect(Math.abs(yq[n] - s)).toBeLessThan(0.05 * Math.max(1, Math.abs(s)));
    }
  });

  it("TQ1_0, F16 and F32 go through their decoders; a value off the ternary grid or the code 3 is refused", () => {
    const v = values(() => 0.5);
    for (const type of ["TQ1_0", "F16", "F32"] as const) {
      const { bytes, file } = fileWith(type, v);
      const w = packedProjection(file, bytes, findTensor(file, "w"), 2);
      expect(Array.from(w.scales.dataSync())).toEqual([1, 1, 1]);
      expect(Array.from(BitLinear.fromPacked(w).quantizedWeight().codes.dataSync())).toEqual(Array.from(v, (x) => Math.sign(x) + 0));
    }
    const bad = Float32Array.from(v);
    bad[5] = 0.75;
    const f = fileWith("F32", bad);
    expect(() => packedProjection(f.file, f.bytes, findTensor(f.file, "w"), 1)).toThrow(GgufModelError);
    const t = fileWith("TQ2_0", v);
    const corrupt = Uint8Array.from(t.bytes);
    corrupt[t.file.dataOffset + 3] = 0xff; // four codes 3
    expect(() => packedProjection(parseGguf(corrupt), corrupt, findTensor(t.file, "w"), 1)).toThrow(/code 3/);
  });
});

describe("packedProjection's words", () => {
  it("TQ2_0 words are filled in the CPU kernels' shared wasm memory and taken over by the tensor (no copy), for tensors of any size in a row", () => {
    const big = values((r) => 0.25 * (r + 1));
    const small = values((r, b) => (b === 0 ? 0.5 : 0.125) * (r + 1)).subarray(0, N * 256);
    const bytes = writeGguf({
      metadata: [],
      tensors: [
        { name: "big", shape: [N, K], type: "TQ2_0", values: big },
        { name: "small", shape: [N, 256], type: "TQ2_0", values: small },
      ],
    });
    const file = parseGguf(bytes);
    for (const name of ["big", "small", "big"]) {
      const w = packedProjection(file, bytes, findTensor(file, name), 1);
      const data = (w.packed.words.storage as CpuStorage).data;
      expect(data.buffer).toBeInstanceOf(SharedArrayBuffer); // the kernels' memory (Node has SharedArrayBuffer)
      expect(Array.from(w.packed.words.dataSync())).toEqual(Array.from(data));
    }
  });
});
