// The streaming header reader: it loads only a growing prefix (never the tensor data), applies
// the same checks as parseGguf with the true file size, and caps how much header it will load.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GgufError, arr, parseGguf, readGgufHeader, str, writeGguf, type RandomAccessSource } from "@bitnet-quantize/gguf";
import { fileHandleSource, readGgufHeaderFromFile } from "@bitnet-quantize/gguf/node";

/** A source over `bytes` that records every read. */
function recordingSource(bytes: Uint8Array): RandomAccessSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    size: bytes.length,
    reads,
    // eslint-disable-next-line @typescript-eslint/require-await -- RandomAccessSource.read is async by contract; this in-memory one has nothing to wait for
    read: async (position, length) => {
      reads.push([position, length]);
      return bytes.slice(position, position + length);
    },
  };
}

const vocab = Array.from({ length: 5000 }, (_, i) => `token-${i}`);
const big = writeGguf({
  metadata: { "general.architecture": str("bitnet"), "tokenizer.ggml.tokens": arr("string", vocab) },
  tensors: [{ name: "w", shape: [1024, 1024], type: "F32", bytes: new Uint8Array(4 * 1024 * 1024) }],
});
const expected = parseGguf(big);

describe("readGgufHeader", () => {
  it("reads only the header, growing its window from a small first read", async () => {
    const source = recordingSource(big);
    const file = await readGgufHeader(source, { initialBytes: 1024 });
    expect(file).toStrictEqual(expected);
    const loaded = Math.max(...source.reads.map(([p, n]) => p + n));
    expect(loaded).toBeGreaterThanOrEqual(expected.headerByteLength);
    expect(loaded).toBeLessThan(2 * expected.headerByteLength + 1024);
    expect(loaded).toBeLessThan(expected.dataOffset + 4 * 1024 * 1024); // the 4 MiB tensor is never read
    // Each read continues where the previous one stopped: no byte is loaded twice.
    source.reads.forEach(([p], i) => expect(p).toBe(i === 0 ? 0 : source.reads[i - 1][0] + source.reads[i - 1][1]));
  });

  it("checks tensor ranges against the true file size", async () => {
    const cut = big.subarray(0, big.length - 1);
    const direct = (() => {
      try {
        parseGguf(cut);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    await expect(readGgufHeader(new Blob([cut]))).rejects.toThrow(direct instanceof GgufError ? direct.message : "expected a GgufError");
    expect(direct).toBeInstanceOf(GgufError);
  });

  it("refuses a header larger than maxHeaderBytes", async () => {
    await expect(readGgufHeader(new Blob([big]), { initialBytes: 256, caps: { maxHeaderBytes: 4096 } })).rejects.toThrow(
      /the header needs more than \d+ bytes, above the cap maxHeaderBytes = 4096/,
    );
  });

  it("reports a source that returns fewer bytes than asked", async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- RandomAccessSource.read is async by contract
    const short: RandomAccessSource = { size: big.length, read: async (p, n) => big.slice(p, p + n - 1) };
    await expect(readGgufHeader(short)).rejects.toThrow("the source returned 1048575 bytes where 1048576 were asked for");
  });
});

describe("@bitnet-quantize/gguf/node", () => {
  const dir = mkdtempSync(join(tmpdir(), "bitnet-gguf-stream-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the header from a file path and from an open file handle", async () => {
    const path = join(dir, "big.gguf");
    writeFileSync(path, big);
    expect(await readGgufHeaderFromFile(path, { initialBytes: 512 })).toStrictEqual(expected);
    const handle = await open(path, "r");
    try {
      expect(await readGgufHeader(fileHandleSource(handle, big.length))).toStrictEqual(expected);
    } finally {
      await handle.close();
    }
  });
});
