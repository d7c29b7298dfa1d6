// The training session on the CPU backend: the loss falls, the distribution
// and samples are read from the model, the GGUF bytes are encodeGguf's and
// import back, and bad input gives a PlaygroundError.
import { describe, expect, it } from "vitest";
import { defaultCpuBackend } from "@bitnet-quantize/tensor";
import { encodeGguf, importGguf } from "@bitnet-quantize/bitnet/gguf";
import { parseGguf } from "@bitnet-quantize/gguf";
import { defaultCorpus } from "../src/corpus.js";
import { PlaygroundError } from "../src/errors.js";
import { TrainSession, generateText } from "../src/session.js";
import { SIZES } from "../src/sizes.js";

describe("TrainSession (CPU)", () => {
  it("trains: the loss falls, codes are counted, samples and GGUF bytes come out", async () => {
    const s = await TrainSession.create({ text: defaultCorpus(6000), size: SIZES.tiny }, defaultCpuBackend());
    expect(s.onDevice).toBe(false);
    const before = await s.validationLoss();
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) losses.push(await s.step());
    const after = await s.validationLoss();
    expect(after).toBeLessThan(before);
    expect(losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(losses.slice(0, 5).reduce((a, b) => a + b) / 5);
    await s.sync();
    const d = s.distribution();
    expect(d.map((p) => p.name)).toEqual(s.model.projections().map(([n]) => n));
    const [q] = d;
    expect((q?.minus ?? 0) + (q?.zero ?? 0) + (q?.plus ?? 0)).toBe(SIZES.tiny.dim * SIZES.tiny.dim);
    expect(q?.flipped).toBe(0);
    await s.step();
    expect(s.distribution().every((p) => p.flipped >= 0 && p.flipped <= 1)).toBe(true);
    expect(s.sample("one day", 12, 1).startsWith("one day")).toBe(true);
    const { bytes, warnings } = s.encode("TQ2_0");
    expect(warnings.length).toBeGreaterThan(0); // rows of 32 are not TQ2_0 blocks: F16 fallback, said
    expect(bytes).toEqual(encodeGguf(s.mirror, s.tokenizer, { type: "TQ2_0", name: "bitnet-quantize playground", warn: () => undefined }));
    expect(parseGguf(bytes).metadata.get("general.architecture")).toEqual({ type: "string", value: "bitnet" });
    const back = importGguf(bytes);
    const greedy = { maxTokens: 10, seed: 0, temperature: 0 };
    expect(generateText(back.model, back.tokenizer, "one day", greedy)).toBe(generateText(s.mirror, s.tokenizer, "one day", greedy));
  });

  it("refuses text that is too short or too long, saying so", async () => {
    await expect(TrainSession.create({ text: "too short", size: SIZES.tiny }, defaultCpuBackend())).rejects.toThrow(PlaygroundError);
    await expect(TrainSession.create({ text: "x".repeat(300_000), size: SIZES.tiny }, defaultCpuBackend())).rejects.toThrow(/at most/);
  });
});
