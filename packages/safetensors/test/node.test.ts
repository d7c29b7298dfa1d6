// The ./node entry: files by path.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tensorToFloat32 } from "@bitnet-quantize/safetensors";
import { readSafetensorsFile, writeSafetensorsFile } from "@bitnet-quantize/safetensors/node";

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
