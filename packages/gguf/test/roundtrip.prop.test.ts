// Properties: write then read gives the same metadata (same types) and tensors, in both byte
// orders, from memory and streamed; @huggingface/gguf reads the same header from every file.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  GGUF_DEFAULT_ALIGNMENT,
  canSwapTensorBytes,
  parseGguf,
  readGgufHeader,
  swapTensorBytes,
  tensorData,
  writeGguf,
  type GgufTensorInput,
  type GgufValue,
} from "@bitnet-quantize/gguf";
import { FLOAT_CODECS } from "@bitnet-quantize/gguf/codecs";
import { alignment, metadataEntries, tensorInputs } from "./helpers/arbitraries.js";
import { asHfMetadata, asHfTensorInfos, parseWithHf } from "./helpers/hf.js";

// Big-endian files only with types whose byte order the writer can convert (not Q4_K, Q6_K).
const input = fc
  .record({ metadata: metadataEntries, tensors: tensorInputs, alignment, littleEndian: fc.boolean() })
  .map((x) => ({ ...x, littleEndian: x.littleEndian || !x.tensors.every((t) => canSwapTensorBytes(t.type)) }));

/** The little-endian bytes the writer should store for a tensor input. */
function encoded(t: GgufTensorInput): Uint8Array {
  return "values" in t ? FLOAT_CODECS[t.type].encode(t.values) : t.bytes;
}

function expectedMetadata(entries: readonly [string, GgufValue][], align: number): [string, GgufValue][] {
  return align === GGUF_DEFAULT_ALIGNMENT ? [...entries] : [...entries, ["general.alignment", { type: "u32", value: align }]];
}

describe("write then read", () => {
  it("keeps metadata, types and tensors, and rewriting the parsed file gives the same bytes", () => {
    let runs = 0;
    fc.assert(
      fc.property(input, ({ metadata, tensors, alignment: align, littleEndian }) => {
        runs++;
        const bytes = writeGguf({ metadata, tensors, alignment: align, littleEndian });
        const file = parseGguf(bytes);
        expect(file.version).toBe(3);
        expect(file.littleEndian).toBe(littleEndian);
        expect(file.alignment).toBe(align);
        expect([...file.metadata]).toStrictEqual(expectedMetadata(metadata, align));
        let offset = 0;
        file.tensors.forEach((info, i) => {
          const t = tensors[i];
          const data = encoded(t);
          expect([info.name, info.shape, info.type, info.offset, info.byteLength]).toEqual([t.name, t.shape, t.type, offset, data.length]);
          offset += Math.ceil(data.length / align) * align;
          const stored = tensorData(file, bytes, t.name);
          expect(littleEndian || t.type === "I8" ? stored : swapTensorBytes(t.type, stored)).toEqual(data);
        });
        expect(bytes.length).toBe(file.dataOffset + offset);
        const again = writeGguf({
          metadata: [...file.metadata].filter(([k]) => k !== "general.alignment"),
          tensors: file.tensors.map((t) => ({ name: t.name, shape: t.shape, type: t.type, bytes: littleEndian ? tensorData(file, bytes, t.name) : swapTensorBytes(t.type, tensorData(file, bytes, t.name)) })),
          alignment: file.alignment,
          littleEndian,
        });
        expect(again).toEqual(bytes);
      }),
      { seed: 0x5eed01, numRuns: 300 },
    );
    expect(runs).toBe(300);
  });

  it("the streaming reader gives the same header as parseGguf, from any first window", async () => {
    await fc.assert(
      fc.asyncProperty(input, fc.integer({ min: 1, max: 512 }), async ({ metadata, tensors, alignment: align, littleEndian }, initialBytes) => {
        const bytes = writeGguf({ metadata, tensors, alignment: align, littleEndian });
        const streamed = await readGgufHeader(new Blob([bytes]), { initialBytes });
        expect(streamed).toStrictEqual(parseGguf(bytes));
      }),
      { seed: 0x5eed02, numRuns: 100 },
    );
  });
});

describe("@huggingface/gguf", () => {
  it("parses every file the writer produces, with the same metadata and tensor table", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(input, async ({ metadata, tensors, alignment: align, littleEndian }) => {
        runs++;
        const bytes = writeGguf({ metadata, tensors, alignment: align, littleEndian });
        const ours = parseGguf(bytes);
        const hf = await parseWithHf(bytes);
        expect([hf.version, hf.tensorCount, hf.kvCount]).toEqual([3, BigInt(ours.tensors.length), BigInt(ours.metadata.size)]);
        expect(hf.metadata).toEqual(asHfMetadata(ours));
        expect(hf.tensorInfos).toEqual(asHfTensorInfos(ours));
        expect(hf.tensorDataOffset).toBe(BigInt(ours.dataOffset));
      }),
      { seed: 0x5eed03, numRuns: 40 },
    );
    expect(runs).toBe(40);
  });
});
