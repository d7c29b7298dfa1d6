// A byte-level BPE tokenizer from a Hugging Face `tokenizer.json` (GPT-2 style byte-to-unicode
// alphabet, ranked merges, added/special tokens), with the Llama 3 pre-tokenizer: what
// bitnet-b1.58-2B-4T ships. Encode and decode only; no training.
import { HfCheckpointError } from "./hf-error.js";

/**
 * The Llama 3 pre-tokenizer pattern as published (meta-llama/llama3 `tokenizer.py` and the
 * `Split` pre-tokenizer of its `tokenizer.json`).
 *
 * @example
 * ```ts
 * LLAMA3_PATTERN.startsWith("(?i:'s|'t"); // true
 * ```
 */
export const LLAMA3_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// The same pattern for JavaScript engines without inline modifiers: the (?i:…) group spelled out
// with explicit case classes, as llama.cpp's llama-vocab.cpp does.
const LLAMA3_JS = "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/**
 * GPT-2's byte-to-unicode table: printable Latin-1 bytes map to themselves, the other 68
 * bytes to U+0100 onward, so every byte is one visible character.
 *
 * @example
 * ```ts
 * byteToUnicode()[32]; // "Ġ" (space)
 * byteToUnicode()[65]; // "A"
 * ```
 */
export function byteToUnicode(): string[] {
  const keep = (b: number): boolean => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const out: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCodePoint(keep(b) ? b : 256 + n++);
  return out;
}

/**
 * One added token of `tokenizer.json` (`added_tokens`): matched literally in the text
 * before pre-tokenization; `special` ones are dropped by `decode(ids, { removeSpecial: true })`.
 *
 * @example
 * ```ts
 * const t: AddedToken = { id: 128000, content: "<|begin_of_text|>", special: true };
 * ```
 */
export interface AddedToken {
  readonly id: number;
  readonly content: string;
  readonly special: boolean;
}

/**
 * Options of {@link ByteLevelBpeTokenizer.encode}.
 *
 * @example
 * ```ts
 * tok.encode("hi", { addSpecial: false });
 * ```
 */
export interface BpeEncodeOptions {
  /** Prepend the BOS token when the tokenizer's post-processor does (default true). */
  readonly addSpecial?: boolean;
  /** Match added tokens such as `<|eot_id|>` in the text (default true, as HF tokenizers do). */
  readonly parseSpecial?: boolean;
}

/**
 * A byte-level BPE tokenizer (GPT-2 / Llama 3 family) built from `tokenizer.json`.
 * Encoding: split out added tokens, pre-tokenize with the model's regex, map each piece's
 * UTF-8 bytes through {@link byteToUnicode}, then take the whole piece if it is in the
 * vocabulary and `ignore_merges` is set (Llama 3), else apply merges lowest rank first.
 *
 * @example
 * ```ts
 * const tok = ByteLevelBpeTokenizer.fromJson(readFileSync("tokenizer.json", "utf8"));
 * tok.decode(tok.encode("Hello world")); // "<|begin_of_text|>Hello world"
 * ```
 */
export class ByteLevelBpeTokenizer {
  /** Token strings by id (byte-level alphabet; added tokens verbatim). */
  readonly tokens: readonly string[];
  readonly bosId: number;
  readonly eosId: number;
  readonly addBos: boolean;
  readonly added: readonly AddedToken[];
  readonly pattern: string;
  readonly #ids = new Map<string, number>();
  readonly #ranks = new Map<string, number>();
  readonly #regex: RegExp;
  readonly #addedRegex: RegExp | undefined;
  readonly #addedIds = new Map<string, number>();
  readonly #special = new Set<number>();
  readonly #ignoreMerges: boolean;
  readonly #b2u = byteToUnicode();
  readonly #u2b = new Map<string, number>();
  readonly #cache = new Map<string, number[]>();

  constructor(spec: {
    vocab: ReadonlyMap<string, number>;
    merges: readonly (readonly [string, string])[];
    added: readonly AddedToken[];
    pattern?: string;
    ignoreMerges?: boolean;
    bosId: number;
    eosId: number;
    addBos: boolean;
  }) {
    let size = 0;
    for (const id of spec.vocab.values()) size = Math.max(size, id + 1);
    for (const a of spec.added) size = Math.max(size, a.id + 1);
    const tokens = new Array<string>(size).fill("");
    for (const [t, id] of spec.vocab) {
      if (!Number.isInteger(id) || id < 0) throw new HfCheckpointError(`tokenizer.json: vocab id ${id} of ${JSON.stringify(t)} is not a non-negative integer`);
      tokens[id] = t;
      this.#ids.set(t, id);
    }
    for (const a of spec.added) {
      tokens[a.id] = a.content;
      this.#addedIds.set(a.content, a.id);
      if (a.special) this.#special.add(a.id);
    }
    this.tokens = tokens;
    spec.merges.forEach(([a, b], rank) => this.#ranks.set(`${a} ${b}`, rank));
    this.added = spec.added;
    this.bosId = spec.bosId;
    this.eosId = spec.eosId;
    this.addBos = spec.addBos;
    this.#ignoreMerges = spec.ignoreMerges ?? false;
    this.pattern = spec.pattern ?? LLAMA3_PATTERN;
    const source = this.pattern === LLAMA3_PATTERN ? LLAMA3_JS : this.pattern;
    try {
      this.#regex = new RegExp(source, "gu");
    } catch (e) {
      throw new HfCheckpointError(`tokenizer.json: the pre-tokenizer pattern ${JSON.stringify(this.pattern)} is not a JavaScript regular expression (${(e as Error).message})`);
    }
    const escaped = [...spec.added].sort((a, b) => b.content.length - a.content.length).map((a) => a.content.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    this.#addedRegex = escaped.length > 0 ? new RegExp(escaped.join("|"), "gu") : undefined;
    this.#b2u.forEach((ch, b) => this.#u2b.set(ch, b));
    for (let b = 0; b < 256; b++) {
      if (!this.#ids.has(this.#b2u[b])) throw new HfCheckpointError(`tokenizer.json: the vocabulary lacks the byte token ${JSON.stringify(this.#b2u[b])} (byte ${b}); not a byte-level BPE vocabulary`);
    }
  }

  /**
   * Builds the tokenizer from `tokenizer.json` text (a `BPE` model with byte-level
   * pre-tokenizer/decoder). BOS is taken from the `TemplateProcessing` post-processor
   * (or `<|begin_of_text|>`), EOS from `eosToken` (or `<|end_of_text|>`).
   *
   * @throws HfCheckpointError naming what is missing or unsupported.
   * @example
   * ```ts
   * ByteLevelBpeTokenizer.fromJson(text, { eosToken: "<|eot_id|>" }).eosId; // 128009
   * ```
   */
  static fromJson(text: string, opts: { eosToken?: string; bosToken?: string } = {}): ByteLevelBpeTokenizer {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new HfCheckpointError(`tokenizer.json is not JSON (${(e as Error).message})`);
    }
    const obj = (v: unknown, what: string): Record<string, unknown> => {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new HfCheckpointError(`tokenizer.json: ${what} must be an object`);
      return v as Record<string, unknown>;
    };
    const root = obj(json, "the file");
    const model = obj(root["model"], "model");
    if (model["type"] !== "BPE") throw new HfCheckpointError(`tokenizer.json: model.type is ${JSON.stringify(model["type"])}; only byte-level "BPE" is supported here`);
    const vocab = new Map<string, number>(Object.entries(obj(model["vocab"], "model.vocab")).map(([k, v]) => [k, Number(v)]));
    const rawMerges = model["merges"];
    if (!Array.isArray(rawMerges)) throw new HfCheckpointError("tokenizer.json: model.merges must be an array");
    const merges = rawMerges.map((m: unknown, i): [string, string] => {
      if (typeof m === "string") {
        const sp = m.indexOf(" ", 1);
        if (sp < 0) throw new HfCheckpointError(`tokenizer.json: merge ${i} ${JSON.stringify(m)} has no space`);
        return [m.slice(0, sp), m.slice(sp + 1)];
      }
      if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") return [m[0], m[1]];
      throw new HfCheckpointError(`tokenizer.json: merge ${i} must be "a b" or ["a", "b"]`);
    });
    const added: AddedToken[] = (Array.isArray(root["added_tokens"]) ? (root["added_tokens"] as unknown[]) : []).map((a, i) => {
      const t = obj(a, `added_tokens[${i}]`);
      if (typeof t["content"] !== "string" || !Number.isInteger(t["id"])) throw new HfCheckpointError(`tokenizer.json: added_tokens[${i}] needs an integer id and a string content`);
      return { id: t["id"] as number, content: t["content"], special: t["special"] === true };
    });
    const pattern = findSplitPattern(root["pre_tokenizer"]);
    const idOf = (content: string): number | undefined => added.find((a) => a.content === content)?.id ?? vocab.get(content);
    let bosName = opts.bosToken ?? "<|begin_of_text|>";
    let addBos = false;
    const post = root["post_processor"];
    if (typeof post === "object" && post !== null) {
      const single = findTemplate(post as Record<string, unknown>);
      if (single !== undefined) {
        bosName = opts.bosToken ?? single;
        addBos = true;
      }
    }
    const bosId = idOf(bosName);
    const eosName = opts.eosToken ?? "<|end_of_text|>";
    const eosId = idOf(eosName);
    if (bosId === undefined) throw new HfCheckpointError(`tokenizer.json: no BOS token ${JSON.stringify(bosName)}`);
    if (eosId === undefined) throw new HfCheckpointError(`tokenizer.json: no EOS token ${JSON.stringify(eosName)}`);
    return new ByteLevelBpeTokenizer({ vocab, merges, added, ...(pattern === undefined ? {} : { pattern }), ignoreMerges: model["ignore_merges"] === true, bosId, eosId, addBos });
  }

  /**
   * Number of ids (the largest id + 1).
   *
   * @example
   * ```ts
   * tok.vocabSize; // 128256 for Llama 3
   * ```
   */
  get vocabSize(): number {
    return this.tokens.length;
  }

  /**
   * The pre-tokenizer's pieces of `text` (no added-token splitting).
   *
   * @example
   * ```ts
   * tok.preTokenize("Hello world's"); // ["Hello", " world", "'s"]
   * ```
   */
  preTokenize(text: string): string[] {
    return text.match(this.#regex) ?? [];
  }

  /**
   * Token ids of `text`.
   *
   * @example
   * ```ts
   * tok.encode("Hello", { addSpecial: false }); // [9906] with Llama 3's vocabulary
   * ```
   */
  encode(text: string, opts: BpeEncodeOptions = {}): number[] {
    const ids: number[] = [];
    if ((opts.addSpecial ?? true) && this.addBos) ids.push(this.bosId);
    const parseSpecial = opts.parseSpecial ?? true;
    let last = 0;
    if (parseSpecial && this.#addedRegex !== undefined) {
      for (const m of text.matchAll(this.#addedRegex)) {
        this.#encodeOrdinary(text.slice(last, m.index), ids);
        const id = this.#addedIds.get(m[0]);
        if (id === undefined) throw new HfCheckpointError(`ByteLevelBpe: added token ${JSON.stringify(m[0])} matched but has no id`);
        ids.push(id);
        last = m.index + m[0].length;
      }
    }
    this.#encodeOrdinary(text.slice(last), ids);
    return ids;
  }

  #encodeOrdinary(text: string, ids: number[]): void {
    if (text === "") return;
    const enc = new TextEncoder();
    for (const piece of this.preTokenize(text)) {
      const cached = this.#cache.get(piece);
      if (cached !== undefined) {
        ids.push(...cached);
        continue;
      }
      const chars = Array.from(enc.encode(piece), (b) => this.#b2u[b]);
      const out = this.#bpe(chars);
      if (this.#cache.size < 100_000) this.#cache.set(piece, out);
      ids.push(...out);
    }
  }

  #bpe(chars: string[]): number[] {
    const whole = chars.join("");
    const wholeId = this.#ignoreMerges ? this.#ids.get(whole) : undefined;
    if (wholeId !== undefined) return [wholeId];
    const parts = chars.slice();
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < parts.length; i++) {
        const r = this.#ranks.get(`${parts[i]} ${parts[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      parts.splice(best, 2, parts[best] + parts[best + 1]);
    }
    return parts.map((p) => {
      const id = this.#ids.get(p);
      if (id === undefined) throw new HfCheckpointError(`tokenizer: the merged piece ${JSON.stringify(p)} is not in the vocabulary`);
      return id;
    });
  }

  /**
   * The text of `ids`: byte-level tokens back to UTF-8 (invalid sequences become U+FFFD),
   * added tokens verbatim unless `removeSpecial` drops the special ones.
   *
   * @example
   * ```ts
   * tok.decode(tok.encode("héllo", { addSpecial: false })); // "héllo"
   * ```
   */
  decode(ids: readonly number[], opts: { removeSpecial?: boolean } = {}): string {
    const bytes: number[] = [];
    const enc = new TextEncoder();
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) throw new HfCheckpointError(`tokenizer: id ${id} is outside the vocabulary (0..${this.tokens.length - 1})`);
      if (this.#special.has(id)) {
        if (!(opts.removeSpecial ?? false)) bytes.push(...enc.encode(this.tokens[id]));
        continue;
      }
      const t = this.tokens[id];
      if (this.#addedIds.get(t) === id) {
        bytes.push(...enc.encode(t));
        continue;
      }
      for (const ch of t) {
        const b = this.#u2b.get(ch);
        if (b === undefined) bytes.push(...enc.encode(ch));
        else bytes.push(b);
      }
    }
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }
}

function findSplitPattern(pre: unknown): string | undefined {
  if (typeof pre !== "object" || pre === null) return undefined;
  const p = pre as Record<string, unknown>;
  if (p["type"] === "Split") {
    const pat = p["pattern"] as Record<string, unknown> | undefined;
    if (typeof pat?.["Regex"] === "string") return pat["Regex"];
  }
  if (Array.isArray(p["pretokenizers"])) {
    for (const q of p["pretokenizers"] as unknown[]) {
      const found = findSplitPattern(q);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function findTemplate(post: Record<string, unknown>): string | undefined {
  if (post["type"] === "TemplateProcessing" && Array.isArray(post["single"])) {
    const first = (post["single"] as unknown[])[0] as Record<string, unknown> | undefined;
    const sp = first?.["SpecialToken"] as Record<string, unknown> | undefined;
    return typeof sp?.["id"] === "string" ? sp["id"] : undefined;
  }
  if (Array.isArray(post["processors"])) {
    for (const q of post["processors"] as unknown[]) {
      if (typeof q === "object" && q !== null) {
        const found = findTemplate(q as Record<string, unknown>);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}
