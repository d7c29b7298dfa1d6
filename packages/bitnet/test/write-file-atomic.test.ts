// Temporary files left by killed exports are removed on the next write to the
// same directory: only files of our pattern whose process is gone.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeStaleTempFiles, writeFileAtomic } from "@bitnet-quantize/bitnet/node";

const dir = mkdtempSync(join(tmpdir(), "bitnet-atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("stale temporary files", () => {
  it("the next write removes the temp files of dead writers and keeps everything else", async () => {
    const dead = deadPid();
    const stale = `.model.gguf.${dead}.lx3k9a2bq7.tmp`;
    const staleOther = `.other.gguf.${dead}.mm0000abcd.tmp`;
    const mine = `.model.gguf.${process.pid}.lx3k9a2bq8.tmp`;
    const init = `.model.gguf.1.lx3k9a2bq9.tmp`; // pid 1 is alive
    const foreign = ["model.gguf.tmp", ".model.gguf.tmp", `.model.gguf.${dead}.tmp`, `.model.gguf.${dead}.ABCDEFGH.tmp`];
    for (const f of [stale, staleOther, mine, init, ...foreign]) writeFileSync(join(dir, f), "x");
    await writeFileAtomic(join(dir, "model.gguf"), new Uint8Array([1, 2, 3]));
    const left = readdirSync(dir);
    expect(left).not.toContain(stale);
    expect(left).not.toContain(staleOther);
    for (const f of [mine, init, ...foreign, "model.gguf"]) expect(left).toContain(f);
    expect([...readFileSync(join(dir, "model.gguf"))]).toEqual([1, 2, 3]);
    expect(await removeStaleTempFiles(join(dir, "missing"))).toEqual([]);
  });
});
