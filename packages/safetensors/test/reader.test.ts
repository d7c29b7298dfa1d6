// The reader's checks, one per error kind, in the Rust reference reader's order; views and conversions.
import { describe, expect, it } from "vitest";
import {
  SafetensorsError,
  encodeFloats,
  findTensor,
  parseSafetensors,
  parseSafetensorsHeader,
  safetensorsHeaderLength,
  tensorArray,
  tensorBytes,
  tensorToFloat32,
  writeSafetensors,
  type SafetensorsErrorKind,
} from "@bitnet-quantize/safetensors";
import { rawFile } from "./helpers/bytes.js";

function kindOf(f: () => unknown): SafetensorsErrorKind | "none" {
  try {
    f();
    return "none";
  } catch (e) {
    if (e instanceof SafetensorsError) return e.kind;
    throw e;
  }
}

const t = (dtype: string, shape: number[], begin: number, end: number): string =>
  `{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;

describe("parseSafetensors rejects each malformed header with its kind", () => {
  it("HeaderTooSmall: fewer than 8 bytes", () => {
    expect(kindOf(() => parseSafetensors(new Uint8Array(7)))).toBe("HeaderTooSmall");
  });
  it("HeaderTooLarge: N above 100 MB (or the cap)", () => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setBigUint64(0, 100_000_001n, true);
    expect(kindOf(() => parseSafetensors(b))).toBe("HeaderTooLarge");
    new DataView(b.buffer).setBigUint64(0, 0xffffffffffffffffn, true);
    expect(kindOf(() => parseSafetensors(b))).toBe("HeaderTooLarge");
    expect(kindOf(() => parseSafetensors(rawFile("{}", undefined, 64), { caps: { maxHeaderBytes: 32 } }))).toBe("HeaderTooLarge");
  });
  it("InvalidHeaderLength: N past the end of the file", () => {
    const b = rawFile("{}");
    new DataView(b.buffer).setBigUint64(0, 3n, true);
    expect(kindOf(() => parseSafetensors(b))).toBe("InvalidHeaderLength");
  });
  it("InvalidHeader: not UTF-8", () => {
    const b = rawFile("{}  ");
    b[10] = 0xff;
    expect(kindOf(() => parseSafetensors(b))).toBe("InvalidHeader");
  });
  it("InvalidHeaderDeserialization: bad JSON, unknown dtype, wrong field types, non-string metadata", () => {
    expect(kindOf(() => parseSafetensors(rawFile("{")))).toBe("InvalidHeaderDeserialization");
    expect(kindOf(() => parseSafetensors(rawFile(`{"x":${t("F31", [1], 0, 4)}}`, new Uint8Array(4))))).toBe("InvalidHeaderDeserialization");
    expect(kindOf(() => parseSafetensors(rawFile(`{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, new Uint8Array(4))))).toBe(
      "InvalidHeaderDeserialization",
    );
    expect(kindOf(() => parseSafetensors(rawFile(`{"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, new Uint8Array(4))))).toBe(
      "InvalidHeaderDeserialization",
    );
    expect(kindOf(() => parseSafetensors(rawFile(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}}`, new Uint8Array(4))))).toBe(
      "InvalidHeaderDeserialization",
    );
    expect(kindOf(() => parseSafetensors(rawFile(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,1e300]}}`, new Uint8Array(4))))).toBe(
      "InvalidHeaderDeserialization",
    );
    expect(kindOf(() => parseSafetensors(rawFile(`{"__metadata__":{"a":1}}`)))).toBe("InvalidHeaderDeserialization");
    expect(kindOf(() => parseSafetensors(rawFile(`{"x":3}`)))).toBe("InvalidHeaderDeserialization");
  });
  it("InvalidHeaderStart: JSON that is not an object", () => {
    expect(kindOf(() => parseSafetensors(rawFile("[]")))).toBe("InvalidHeaderStart");
    expect(kindOf(() => parseSafetensors(rawFile("null")))).toBe("InvalidHeaderStart");
  });
  it("InvalidOffset: a gap, an overlap, a first tensor not at 0, end before begin", () => {
    const d = new Uint8Array(12);
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F32", [1], 4, 8)},"b":${t("F32", [1], 8, 12)}}`, d)))).toBe("InvalidOffset");
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F32", [2], 0, 8)},"b":${t("F32", [1], 4, 8)}}`, d)))).toBe("InvalidOffset");
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F32", [1], 0, 4)},"b":${t("F32", [1], 8, 12)}}`, d)))).toBe("InvalidOffset");
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F32", [1], 0, 4)},"b":${t("F32", [0], 4, 0)}}`, d)))).toBe("InvalidOffset");
  });
  it("ValidationOverflow, MisalignedSlice, TensorInvalidInfo: sizes against dtype and shape", () => {
    const huge = 2 ** 40;
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F32", [huge, huge], 0, 4)}}`, new Uint8Array(4))))).toBe("ValidationOverflow");
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F4", [3], 0, 2)}}`, new Uint8Array(2))))).toBe("MisalignedSlice");
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F32", [2], 0, 4)}}`, new Uint8Array(4))))).toBe("TensorInvalidInfo");
  });
  it("MetadataIncompleteBuffer: trailing bytes, or data missing", () => {
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("F32", [1], 0, 4)}}`, new Uint8Array(5))))).toBe("MetadataIncompleteBuffer");
    expect(kindOf(() => parseSafetensors(rawFile(`{}`, new Uint8Array(1))))).toBe("MetadataIncompleteBuffer");
  });
  it("CapExceeded: too many tensors or dimensions", () => {
    const file = rawFile(`{"a":${t("U8", [1], 0, 1)},"b":${t("U8", [1], 1, 2)}}`, new Uint8Array(2));
    expect(kindOf(() => parseSafetensors(file, { caps: { maxTensorCount: 1 } }))).toBe("CapExceeded");
    expect(kindOf(() => parseSafetensors(rawFile(`{"a":${t("U8", [1, 1, 1], 0, 1)}}`, new Uint8Array(1)), { caps: { maxDims: 2 } }))).toBe("CapExceeded");
  });
  it("messages name the tensor and the offsets", () => {
    expect(() => parseSafetensors(rawFile(`{"w.0":${t("F32", [2], 0, 4)}}`, new Uint8Array(4)))).toThrow(/"w\.0": F32 \[2\] needs 8 bytes but data_offsets span 4/);
  });
});

describe("parseSafetensors accepts what the format allows", () => {
  it("scalars, empty tensors, null metadata, padding, unknown extra fields, any tensor order in the header", () => {
    const data = new Uint8Array([1, 0, 0, 0, 9]);
    const file = parseSafetensors(
      rawFile(`{"__metadata__":null,"z":{"dtype":"U8","shape":[1],"data_offsets":[4,5],"extra":true},"s":${t("I32", [], 0, 4)},"e":${t("F16", [0, 3], 4, 4)}}`, data, 200),
    );
    expect(file.metadata).toBeUndefined();
    expect(file.tensors.map((x) => [x.name, x.elementCount, x.byteLength])).toEqual([
      ["s", 1, 4],
      ["e", 0, 0],
      ["z", 1, 1],
    ]);
    expect(tensorArray(file, "s")).toEqual(new Int32Array([1]));
    expect(file.dataOffset).toBe(208);
    expect(findTensor(file, "nope")).toBeUndefined();
    expect(kindOf(() => tensorBytes(file, "nope"))).toBe("TensorNotFound");
  });

  it("tensorArray is a view when aligned (no copy) and a copy when not", () => {
    const bytes = writeSafetensors({ tensors: { w: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } } });
    const file = parseSafetensors(bytes);
    const view = tensorArray(file, "w") as Float32Array;
    expect(view.buffer).toBe(bytes.buffer);
    view[0] = 5;
    expect(tensorToFloat32(file, "w")[0]).toBe(5);
    // A hand-made header of odd length puts the F32 data at an odd offset.
    const odd = parseSafetensors(rawFile(`{"w":${t("F32", [2], 0, 8)}}`, new Uint8Array(new Float32Array([3, 4]).buffer), 61));
    expect(odd.dataOffset % 4).not.toBe(0);
    const copy = tensorArray(odd, "w") as Float32Array;
    expect(copy).toEqual(new Float32Array([3, 4]));
    expect(copy.buffer).not.toBe(odd.bytes.buffer);
  });

  it("tensorToFloat32 decodes F16, BF16, F64 and integer dtypes", () => {
    const file = parseSafetensors(
      writeSafetensors({
        tensors: {
          h: { dtype: "F16", shape: [3], data: encodeFloats([1, -0.5, 65504], "F16") },
          b: { dtype: "BF16", shape: [2], data: encodeFloats([1.5, -3], "BF16") },
          d: { dtype: "F64", shape: [1], data: new Float64Array([0.1]) },
          i: { dtype: "I64", shape: [2], data: new BigInt64Array([-3n, 7n]) },
          u: { dtype: "U8", shape: [2], data: new Uint8Array([0, 255]) },
          c: { dtype: "C64", shape: [1], data: new Float32Array([1, 2]) },
        },
      }),
    );
    expect([...tensorToFloat32(file, "h")]).toEqual([1, -0.5, 65504]);
    expect([...tensorToFloat32(file, "b")]).toEqual([1.5, -3]);
    expect(tensorToFloat32(file, "d")[0]).toBe(Math.fround(0.1));
    expect([...tensorToFloat32(file, "i")]).toEqual([-3, 7]);
    expect([...tensorToFloat32(file, "u")]).toEqual([0, 255]);
    expect(kindOf(() => tensorToFloat32(file, "c"))).toBe("UnsupportedDtype");
  });
});

describe("parseSafetensors takes any BytesLike", () => {
  const file = writeSafetensors({ tensors: { x: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } } });
  it("an ArrayBuffer, a Buffer, a DataView over part of a larger buffer", () => {
    const padded = new Uint8Array(file.length + 8);
    padded.set(file, 4);
    for (const input of [file.slice().buffer, Buffer.from(file), new DataView(padded.buffer, 4, file.length)]) {
      expect(Array.from(tensorToFloat32(parseSafetensors(input), "x"))).toEqual([1, 2]);
      expect(parseSafetensorsHeader(input, file.length).tensors.map((t) => t.name)).toEqual(["x"]);
    }
  });
  it("anything else is a SafetensorsError of kind InvalidInput", () => {
    expect(kindOf(() => parseSafetensors("x" as unknown as Uint8Array))).toBe("InvalidInput");
    expect(() => parseSafetensors([1, 2, 3] as unknown as Uint8Array)).toThrow(/parseSafetensors: expected bytes .*got a Array/);
    expect(kindOf(() => safetensorsHeaderLength("x" as unknown as Uint8Array, 8))).toBe("InvalidInput");
    expect(kindOf(() => parseSafetensorsHeader(null as unknown as Uint8Array, 8))).toBe("InvalidInput");
  });
});
