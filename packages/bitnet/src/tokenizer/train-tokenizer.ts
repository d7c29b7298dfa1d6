// trainTokenizer: builds an SPM vocabulary from a text corpus: the three
// specials, the 256 byte tokens, the corpus's characters, then BPE merges
// (scored so that SPM merging replays them in order). Not the encoder.
import { SpmTokenizer } from "./spm-tokenizer.js";
import { SPACE_MARK, TOKEN_TYPE, bytePiece } from "./token-type.js";
import { TokenizerError } from "./tokenizer-error.js";

/**
 * Options of {@link trainTokenizer}.
 *
 * @example
 * ```ts
 * trainTokenizer(text, 400, { merges: false }); // characters only
 * ```
 */
export interface TrainTokenizerOptions {
  /** Learn merges (default true); false gives a character-level vocabulary. */
  readonly merges?: boolean;
  /** Smallest pair count worth a merge (default 2). */
  readonly minPairCount?: number;
}

/**
 * Tokens before the corpus pieces: `<unk>`, `<s>`, `</s>` and 256 byte tokens.
 *
 * @example
 * ```ts
 * BASE_VOCAB_SIZE; // 259
 * ```
 */
export const BASE_VOCAB_SIZE = 3 + 256;

/**
 * Trains a SentencePiece-style BPE vocabulary of at most `vocabSize` tokens:
 * `<unk>`=0, `<s>`=1, `</s>`=2, `<0x00>`..`<0xFF>` (3..258), then "▁" and the
 * corpus's characters by frequency, then merged pieces. Words are the runs
 * that start at a space (written "▁", as the encoder sees them) or a newline;
 * merges never cross them. Merge k gets score −(k+1), so the encoder's
 * highest-score-first rule replays the merges in the order they were learned.
 * Deterministic: ties go to the lexicographically smaller pair.
 *
 * @example
 * ```ts
 * const tok = trainTokenizer("the cat sat on the mat. the end.", 280);
 * tok.vocabSize <= 280; // true
 * tok.tokenToId("▁the") !== undefined; // true: "▁the" is the most frequent word
 * ```
 */
export function trainTokenizer(corpus: string, vocabSize: number, opts: TrainTokenizerOptions = {}): SpmTokenizer {
  if (!Number.isInteger(vocabSize) || vocabSize < BASE_VOCAB_SIZE + 1) {
    throw new TokenizerError(`trainTokenizer: vocabSize must be an integer of at least ${BASE_VOCAB_SIZE + 1} (3 specials, 256 bytes, "▁"), got ${vocabSize}`);
  }
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  const scores: number[] = [0, 0, 0];
  for (let b = 0; b < 256; b++) {
    tokens.push(bytePiece(b));
    types.push(TOKEN_TYPE.byte);
    scores.push(0);
  }
  const taken = new Set(tokens);
  const add = (piece: string, score: number): void => {
    tokens.push(piece);
    types.push(TOKEN_TYPE.normal);
    scores.push(score);
    taken.add(piece);
  };

  // Words as the encoder sees them: spaces become "▁" and start a word.
  const text = corpus.replaceAll(" ", SPACE_MARK);
  const wordCounts = new Map<string, number>();
  for (const w of text.split(/(?=\u2581)|(\n)/u)) if (w !== undefined && w !== "") wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);

  // Characters, most frequent first ("▁" always).
  const charCounts = new Map<string, number>([[SPACE_MARK, Number.MAX_SAFE_INTEGER]]);
  for (const [w, c] of wordCounts) for (const ch of w) charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
  const chars = [...charCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([ch]) => ch);
  for (const ch of chars) {
    if (tokens.length >= vocabSize) break;
    if (!taken.has(ch)) add(ch, 0);
  }
  if (opts.merges === false) return build(tokens, scores, types);

  // BPE over the word table; symbols not in the vocabulary never merge.
  const words = [...wordCounts.entries()].map(([w, count]) => ({ syms: Array.from(w), count }));
  const minCount = opts.minPairCount ?? 2;
  let rank = 0;
  while (tokens.length < vocabSize) {
    const pairs = new Map<string, { left: string; right: string; count: number }>();
    for (const { syms, count } of words) {
      for (let i = 0; i + 1 < syms.length; i++) {
        const left = syms[i];
        const right = syms[i + 1];
        if (!taken.has(left) || !taken.has(right) || right.startsWith(SPACE_MARK) || left === "\n" || right === "\n") continue;
        const key = `${left}\u0000${right}`;
        const p = pairs.get(key);
        if (p === undefined) pairs.set(key, { left, right, count });
        else p.count += count;
      }
    }
    let best: { left: string; right: string; count: number } | undefined;
    for (const p of pairs.values()) {
      if (best === undefined || p.count > best.count || (p.count === best.count && (p.left + p.right < best.left + best.right || (p.left + p.right === best.left + best.right && p.left < best.left)))) best = p;
    }
    if (best === undefined || best.count < minCount) break;
    const merged = best.left + best.right;
    if (!taken.has(merged)) add(merged, -(++rank));
    for (const w of words) {
      const s = w.syms;
      const next: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === best.left && s[i + 1] === best.right) {
          next.push(merged);
          i++;
        } else next.push(s[i]);
      }
      w.syms = next;
    }
  }
  return build(tokens, scores, types);
}

function build(tokens: string[], scores: number[], types: number[]): SpmTokenizer {
  return new SpmTokenizer({ tokens, scores, types, bosId: 1, eosId: 2, unkId: 0, addBos: true, addEos: false, addSpacePrefix: true });
}
