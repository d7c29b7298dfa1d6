// Atomic file writing: a temporary file in the same directory, fsync, then
// rename over the target, so readers see the old file or the whole new one;
// temporary files that killed writers left in the directory are removed.
// Node only: reached through the "./node" entry, never from a browser-safe one.
import type { Dirent } from "node:fs";
import * as fs from "node:fs/promises";
import * as nodePath from "node:path";

/** Our temporary files: `.<name>.<pid>.<base36 stamp and random>.tmp`. */
const TEMP_PATTERN = /^\.(.+)\.(\d+)\.([0-9a-z]{7,})\.tmp$/;

/** True when process `pid` exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/**
 * Removes the temporary files of {@link writeFileAtomic} in `dir` whose
 * writing process is gone (killed mid-write); files of live processes, this
 * one included, and anything not matching the pattern are left alone.
 * Returns the names removed.
 *
 * @example
 * ```ts
 * await removeStaleTempFiles("out"); // e.g. [".model.gguf.4242.lx3k9a2b.tmp"] when process 4242 died mid-write
 * ```
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const e of entries) {
    const m = TEMP_PATTERN.exec(e.name);
    if (m === null || !e.isFile()) continue;
    const pid = Number(m[2]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      await fs.rm(nodePath.join(dir, e.name), { force: true });
      removed.push(e.name);
    } catch {
      // another writer removed it first, or it is not ours to remove: leave it
    }
  }
  return removed;
}

/**
 * Writes `bytes` to `path` atomically. The directory must exist. On failure
 * the temporary file is removed and the target is untouched. Temporary files
 * of earlier writers that were killed are removed first
 * ({@link removeStaleTempFiles}).
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "@bitnet-quantize/bitnet/node";
 * await writeFileAtomic("out/model.gguf", bytes);
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = nodePath.dirname(path);
  await removeStaleTempFiles(dir);
  const tmp = nodePath.join(dir, `.${nodePath.basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  const handle = await fs.open(tmp, "wx");
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  // Persist the rename itself where the platform allows syncing a directory.
  try {
    const d = await fs.open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Directories cannot be opened for sync on some platforms (Windows); the data itself is synced.
  }
}
