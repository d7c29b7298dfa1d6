// The ./node entry: files by path.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SafetensorsError, tensorToFloat32 } from "@bitnet-quantize/safetensors";
import { openSafetensorsFile, readSafetensorsFile, writeSafetensorsFile } from "@bitnet-quantize/safetensors/node";

describe("safetensors ./node", () => {
  it("writes and reads a file by path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "st-"));
    try {
      const path = join(dir, "a.safetensors");
      await writeSafetensorsFile(path, { tensors: { w: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } }, metadata: { format: "pt" } });
      const file = await readSafetensorsFile(path);
      expect([...tensorToFloat32(file, "w")]).toEqual([1, 2]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe("openSafetensorsFile (header only, tensors on demand)", () => {
  it("reads the header and one tensor without loading the file, and rejects what parseSafetensors rejects", async () => {
    const dir = await mkdtemp(join(tmpdir(), "st-"));
    try {
      const path = join(dir, "b.safetensors");
      await writeSafetensorsFile(path, { tensors: { a: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }, b: { dtype: "U8", shape: [3], data: new Uint8Array([7, 8, 9]) } } });
      const f = await openSafetensorsFile(path);
      expect(f.header.tensors.map((t) => t.name)).toEqual(["a", "b"]);
      expect(Array.from(await f.readTensor("b"))).toEqual([7, 8, 9]);
      await expect(f.readTensor("c")).rejects.toThrow(SafetensorsError);
      await f.close();
      const bytes = await readFile(path);
      await writeFile(path, bytes.subarray(0, bytes.length - 1));
      await expect(openSafetensorsFile(path)).rejects.toMatchObject({ kind: "MetadataIncompleteBuffer" });
      await writeFile(path, new Uint8Array(3));
      await expect(openSafetensorsFile(path)).rejects.toMatchObject({ kind: "HeaderTooSmall" });
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
