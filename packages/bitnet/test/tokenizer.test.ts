// The SPM tokenizer: ids derived by hand from llama.cpp's algorithm on a tiny
// hand-made vocabulary, training invariants, and round trips on arbitrary
// text (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SpmTokenizer, TOKEN_TYPE, TokenizerError, bytePiece, trainTokenizer } from "@bitnet-quantize/bitnet";

/** specials 0..2, bytes 3..258, then the given pieces with their scores. */
function handVocab(pieces: readonly (readonly [string, number])[], addSpacePrefix = true): SpmTokenizer {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  const scores = [0, 0, 0];
  for (let b = 0; b < 256; b++) {
    tokens.push(bytePiece(b));
    types.push(TOKEN_TYPE.byte);
    scores.push(0);
  }
  for (const [p, s] of pieces) {
    tokens.push(p);
    types.push(TOKEN_TYPE.normal);
    scores.push(s);
  }
  return new SpmTokenizer({ tokens, scores, types, bosId: 1, eosId: 2, unkId: 0, addBos: true, addEos: false, addSpacePrefix });
}

// 259 "▁", 260 "a", 261 "b", 262 "c", 263 "ab" (-1), 264 "▁a" (-2), 265 "bc" (-0.5), 266 "▁ab" (-3)
const tok = handVocab([["▁", 0], ["a", 0], ["b", 0], ["c", 0], ["ab", -1], ["▁a", -2], ["bc", -0.5], ["▁ab", -3]]);

describe("SpmTokenizer: ids derived by hand", () => {
  it("merges the highest score first: ▁abc -> ▁a + bc", () => {
    // Bigrams ▁a (-2), ab (-1), bc (-0.5): bc wins; ab is then stale; ▁a merges; ▁abc is no piece.
    expect(tok.encode("abc", { addSpecial: false })).toEqual([264, 265]);
    expect(tok.encode("abc")).toEqual([1, 264, 265]);
  });
  it("breaks equal scores leftmost first: ▁abab -> ▁ab + ab", () => {
    // ab at 1 and at 3 (-1) beat ▁a (-2); ab at 1 goes first; then ▁+ab = ▁ab (-3) and ab at 3;
    // ab (-1) merges, then ▁ab (-3).
    expect(tok.encode("abab", { addSpecial: false })).toEqual([266, 263]);
  });
  it("falls back to UTF-8 bytes for characters without a piece", () => {
    // "é" is C3 A9: byte ids 3 + 0xC3 = 198 and 3 + 0xA9 = 172; "▁" stays a piece.
    expect(tok.encode("é", { addSpecial: false })).toEqual([259, 198, 172]);
    expect(tok.encode("a\n", { addSpecial: false })).toEqual([264, 3 + 10]);
  });
  it("writes every space as ▁ and prefixes one at the start", () => {
    expect(tok.encode(" a", { addSpecial: false })).toEqual([259, 264]);
    expect(tok.encode("c c", { addSpecial: false })).toEqual([259, 262, 259, 262]);
    expect(handVocab([["▁", 0], ["a", 0]], false).encode("a", { addSpecial: false })).toEqual([260]);
  });
  it("gives only BOS for empty text, and splits special tokens only when asked", () => {
    expect(tok.encode("")).toEqual([1]);
    expect(tok.encode("", { addSpecial: false })).toEqual([]);
    // parseSpecial: "a</s>a" -> ▁a, </s>, then the space prefix again after a special token.
    expect(tok.encode("a</s>a", { addSpecial: false, parseSpecial: true })).toEqual([264, 2, 264]);
    // Without it, "<" "/" "s" ">" are bytes.
    expect(tok.encode("</s>", { addSpecial: false })).toEqual([259, 3 + 0x3c, 3 + 0x2f, 3 + 0x73, 3 + 0x3e]);
  });
  it("decodes as llama.cpp's detokenizer: the prefix space goes unless BOS came first", () => {
    expect(tok.decode([264, 265])).toBe("abc");
    expect(tok.decode([1, 264, 265])).toBe(" abc");
    expect(tok.decode([1, 264, 265], { removeSpecial: true })).toBe(" abc");
    expect(tok.decode([1, 2], { unparseSpecial: true })).toBe("<s></s>");
    expect(tok.decode([259, 198, 172])).toBe("é");
  });
  it("rejects bad vocabularies and ids with TokenizerError", () => {
    expect(() => handVocab([["a", 0], ["a", 0]])).toThrow(TokenizerError);
    expect(() => tok.idToToken(9999)).toThrow(/outside the vocabulary/);
    const noBytes = new SpmTokenizer({ tokens: ["<unk>", "<s>", "</s>", "▁"], scores: [0, 0, 0, 0], types: [2, 3, 3, 1], bosId: 1, eosId: 2, unkId: 0, addBos: true, addEos: false, addSpacePrefix: true });
    expect(() => noBytes.encode("x")).toThrow(/lacks the byte token <0x78>/);
  });
});

const corpus = "the cat sat on the mat. the dog sat on the log.\nthe cat and the dog are friends. a bird sings in the tree.\n".repeat(20);

describe("trainTokenizer", () => {
  const trained = trainTokenizer(corpus, 320);
  it("lays out specials, bytes, characters, then merges with falling scores", () => {
    expect(trained.vocabSize).toBeLessThanOrEqual(320);
    expect(trained.tokens.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
    expect(trained.tokens[258]).toBe("<0xFF>");
    expect(trained.tokens[259]).toBe("▁");
    expect(trained.tokenToId("▁the")).toBeDefined();
    const mergeScores = [...trained.scores.slice(259)].filter((s) => s < 0);
    for (let i = 1; i < mergeScores.length; i++) expect(mergeScores[i]).toBeLessThan(mergeScores[i - 1]);
  });
  it("compresses the corpus and is deterministic", () => {
    const ids = trained.encode(corpus, { addSpecial: false });
    expect(ids.length).toBeLessThan(Array.from(corpus).length / 2);
    expect(trainTokenizer(corpus, 320).tokens).toEqual(trained.tokens);
    expect(new SpmTokenizer(trained.toJSON()).encode(corpus)).toEqual(trained.encode(corpus));
  });
});

describe("round trips (fast-check)", () => {
  const trained = trainTokenizer(corpus, 300);
  const texts = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }), fc.stringMatching(/^[a-z .\n]{0,40}$/));
  it("decode(encode(s)) === s for any well-formed text, with and without BOS", () => {
    fc.assert(
      fc.property(texts, (s) => {
        expect(trained.decode(trained.encode(s, { addSpecial: false }))).toBe(s);
        // With BOS the prefix space stays (llama.cpp); empty text gives BOS alone.
        expect(trained.decode(trained.encode(s), { removeSpecial: true })).toBe(s === "" ? "" : ` ${s}`);
        expect(tok.decode(tok.encode(s, { addSpecial: false }))).toBe(s);
      }),
      { seed: 707, numRuns: 300 },
    );
  });
  it("every id is in range and encoding is stable under re-encoding the decoded text", () => {
    fc.assert(
      fc.property(texts, (s) => {
        const ids = trained.encode(s, { addSpecial: false });
        for (const id of ids) expect(id >= 0 && id < trained.vocabSize).toBe(true);
        expect(trained.encode(trained.decode(ids), { addSpecial: false })).toEqual(ids);
      }),
      { seed: 708, numRuns: 200 },
    );
  });
});
