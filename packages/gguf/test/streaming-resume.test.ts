// The streaming header reader continues where it stopped: a parse that runs
// out of loaded bytes keeps every complete entry and its position, and the
// next attempt (with more bytes) resumes there instead of at byte 0 (inside a
// long string array, at its first unread element). The
// result is the same as parseGguf's for every split point.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arr, parseGguf, readGgufHeader, str, u32, writeGguf } from "@bitnet-quantize/gguf";
import { NeedMoreBytes } from "../src/cursor.js";
import { newPrefixProgress, parseGgufPrefix } from "../src/reader.js";

const file = writeGguf({
  metadata: { "general.architecture": str("bitnet"), "x.tokens": arr("string", Array.from({ length: 200 }, (_, i) => `token-${i}`)), "x.n": u32(7) },
  tensors: Array.from({ length: 20 }, (_, i) => ({ name: `t${i}`, shape: [4], type: "F32" as const, values: new Float32Array(4).fill(i) })),
});
const view = (n: number): DataView => new DataView(file.buffer, file.byteOffset, n);

describe("resumable header parsing", () => {
  it("keeps the complete entries when it runs out of bytes, and resumes from them", () => {
    const header = parseGguf(file).headerByteLength;
    const progress = newPrefixProgress();
    expect(() => parseGgufPrefix(view(Math.floor(header * 0.6)), file.length, {}, progress)).toThrow(NeedMoreBytes);
    const kept = progress.metadata.size + progress.tensors.length;
    expect(kept).toBeGreaterThan(0);
    expect(progress.pos).toBeGreaterThan(24);
    const posBefore = progress.pos;
    // the resumed parse reads on from progress.pos, not from byte 0
    const resumed = parseGgufPrefix(view(file.length), file.length, {}, progress);
    expect(progress.pos).toBeGreaterThan(posBefore);
    expect(resumed).toEqual(parseGguf(file));
  });

  it("resumes inside a long string array (a vocabulary) at its first unread element", () => {
    const progress = newPrefixProgress();
    // cut in the middle of x.tokens: the strings read so far are kept
    expect(() => parseGgufPrefix(view(1200), file.length, {}, progress)).toThrow(NeedMoreBytes);
    const partial = progress.partial;
    expect(partial?.items.length).toBeGreaterThan(10);
    expect(partial?.items[0]).toBe("token-0");
    const readBefore = partial?.items.length ?? 0;
    expect(() => parseGgufPrefix(view(2000), file.length, {}, progress)).toThrow(NeedMoreBytes);
    expect(progress.partial?.items.length).toBeGreaterThan(readBefore);
    expect(parseGgufPrefix(view(file.length), file.length, {}, progress)).toEqual(parseGguf(file));
    expect(progress.partial).toBeNull();
  });

  it("gives parseGguf's result for any sequence of growing prefixes", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: file.length }), { minLength: 1, maxLength: 8 }), (cuts) => {
        const progress = newPrefixProgress();
        for (const n of [...cuts].sort((a, b) => a - b)) {
          try {
            expect(parseGgufPrefix(view(n), file.length, {}, progress)).toEqual(parseGguf(file));
            return;
          } catch (e) {
            if (!(e instanceof NeedMoreBytes)) throw e;
          }
        }
        expect(parseGgufPrefix(view(file.length), file.length, {}, progress)).toEqual(parseGguf(file));
      }),
      { seed: 0x5ea, numRuns: 200 },
    );
  });

  it("readGgufHeader from a tiny first window agrees with parseGguf", async () => {
    expect(await readGgufHeader(new Blob([file]), { initialBytes: 7 })).toEqual(parseGguf(file));
  });
});
