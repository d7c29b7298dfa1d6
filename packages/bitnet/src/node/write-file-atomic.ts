// Atomic file writing: a temporary file in the same directory, fsync, then
// rename over the target, so readers see the old file or the whole new one.
// Node only: reached through the "./node" entry, never from a browser-safe one.
import * as fs from "node:fs/promises";
import * as nodePath from "node:path";

/**
 * Writes `bytes` to `path` atomically. The directory must exist. On failure
 * the temporary file is removed and the target is untouched.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "@bitnet-quantize/bitnet/node";
 * await writeFileAtomic("out/model.gguf", bytes);
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = nodePath.dirname(path);
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
