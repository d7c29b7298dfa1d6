// The IDX reader on files built byte by byte in memory (plain and gzipped),
// and its rejections.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { IdxFormatError, parseIdx } from "@bitnet-quantize/cli/node";

function idxBytes(dims: readonly number[], data: readonly number[], type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint8(2, type);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d)); // big-endian
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe("parseIdx", () => {
  it("reads dims (big-endian) and data of a rank-3 file", () => {
    const data = Array.from({ length: 2 * 3 * 2 }, (_, i) => i * 10);
    const parsed = parseIdx(idxBytes([2, 3, 2], data));
    expect(parsed.dims).toEqual([2, 3, 2]);
    expect(Array.from(parsed.data)).toEqual(data);
  });

  it("gunzips gzipped files", () => {
    const parsed = parseIdx(new Uint8Array(gzipSync(idxBytes([3], [7, 8, 255]))));
    expect(parsed.dims).toEqual([3]);
    expect(Array.from(parsed.data)).toEqual([7, 8, 255]);
  });

  it("rejects a bad magic, an unsupported type, and a wrong data length", () => {
    const bad = idxBytes([1], [1]);
    bad[0] = 1;
    expect(() => parseIdx(bad)).toThrow(/bad magic/);
    expect(() => parseIdx(idxBytes([1], [1], 0x0d))).toThrow(/type 0xd is not supported/);
    expect(() => parseIdx(idxBytes([4], [1, 2]))).toThrow(IdxFormatError);
    expect(() => parseIdx(new Uint8Array([0, 0]))).toThrow(/too short/);
  });
});
