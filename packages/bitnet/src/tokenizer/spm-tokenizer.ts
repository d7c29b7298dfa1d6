// SpmTokenizer: a SentencePiece-style (GGUF `tokenizer.ggml.model` = "llama")
// vocabulary that encodes and decodes exactly as llama.cpp b4747 does
// (llm_tokenizer_spm_session and llama_vocab::impl::detokenize). Not the
// trainer (train-tokenizer.ts) and not the GGUF keys (gguf/).
import { BigramQueue } from "./bigram-queue.js";
import { SPACE_MARK, TOKEN_TYPE, type TokenType, bytePiece } from "./token-type.js";
import { TokenizerError } from "./tokenizer-error.js";

/**
 * A vocabulary as GGUF stores it: pieces, their scores (merge priorities,
 * float32) and types, the special ids, and the encoding flags.
 *
 * @example
 * ```ts
 * const v: SpmVocab = { tokens: ["<unk>", "<s>", "</s>", ...bytes, "▁", "a"], scores, types, bosId: 1, eosId: 2, unkId: 0, addBos: true, addEos: false, addSpacePrefix: true };
 * ```
 */
export interface SpmVocab {
  readonly tokens: readonly string[];
  readonly scores: ArrayLike<number>;
  readonly types: ArrayLike<number>;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  /** Prepend BOS when encoding with special tokens (SPM default true). */
  readonly addBos: boolean;
  /** Append EOS when encoding with special tokens (SPM default false). */
  readonly addEos: boolean;
  /** Prepend a space to text that follows a special token or starts the input (SPM default true). */
  readonly addSpacePrefix: boolean;
}

/**
 * Options of {@link SpmTokenizer.encode}.
 *
 * @example
 * ```ts
 * tok.encode("<s>hi", { addSpecial: false, parseSpecial: true }); // [1, ...ids of "▁hi"]
 * ```
 */
export interface EncodeOptions {
  /** Add BOS / EOS as the vocabulary's `addBos` / `addEos` say (default true, as llama-cli's prompt). */
  readonly addSpecial?: boolean;
  /** Turn the text of control tokens (`<s>`, `</s>`, `<unk>`) into those tokens (default false). */
  readonly parseSpecial?: boolean;
}

/**
 * Options of {@link SpmTokenizer.decode}.
 *
 * @example
 * ```ts
 * tok.decode([1, 2], { unparseSpecial: true }); // "<s></s>"
 * ```
 */
export interface DecodeOptions {
  /** Drop a leading BOS (when `addBos`) and a trailing EOS (when `addEos`) (default false). */
  readonly removeSpecial?: boolean;
  /** Write control tokens as their text instead of nothing (default false). */
  readonly unparseSpecial?: boolean;
}

type Fragment = { readonly kind: "text"; readonly text: string } | { readonly kind: "token"; readonly id: number };

interface SpmSymbol {
  text: string;
  prev: number;
  next: number;
}

let encoder: InstanceType<typeof TextEncoder> | undefined;
function utf8(s: string): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(s);
}

/**
 * A SentencePiece-style tokenizer with byte fallback, matching llama.cpp's
 * SPM tokenizer and detokenizer id for id and byte for byte.
 *
 * @example
 * ```ts
 * const tok = trainTokenizer("the cat sat on the mat", 300);
 * const ids = tok.encode("the cat"); // [1, ...]: BOS, then pieces of "▁the▁cat"
 * tok.decode(ids); // " the cat" (llama.cpp keeps the prefix space after BOS)
 * tok.decode(tok.encode("the cat", { addSpecial: false })); // "the cat"
 * ```
 */
export class SpmTokenizer {
  readonly tokens: readonly string[];
  readonly scores: Float32Array;
  readonly types: Int32Array;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  readonly addBos: boolean;
  readonly addEos: boolean;
  readonly addSpacePrefix: boolean;
  readonly #ids = new Map<string, number>();
  /** Special tokens that `parseSpecial` splits out, longest text first (llama.cpp's `cache_special_tokens`). */
  readonly #special: readonly number[];
  readonly #byteIds = new Int32Array(256).fill(-1);

  /**
   * Checks and wraps a vocabulary: pieces must be unique and non-empty, the
   * arrays the same length, the special ids in range, types known.
   *
   * @example
   * ```ts
   * const tok = new SpmTokenizer(vocab);
   * tok.vocabSize; // vocab.tokens.length
   * ```
   */
  constructor(vocab: SpmVocab) {
    const n = vocab.tokens.length;
    if (n === 0) throw new TokenizerError("SpmTokenizer: the vocabulary is empty");
    if (vocab.scores.length !== n) throw new TokenizerError(`SpmTokenizer: ${vocab.scores.length} scores for ${n} tokens`);
    if (vocab.types.length !== n) throw new TokenizerError(`SpmTokenizer: ${vocab.types.length} token types for ${n} tokens`);
    for (const [key, id] of [["bosId", vocab.bosId], ["eosId", vocab.eosId], ["unkId", vocab.unkId]] as const) {
      if (!Number.isInteger(id) || id < 0 || id >= n) throw new TokenizerError(`SpmTokenizer: ${key} ${id} is outside the vocabulary (0..${n - 1})`);
    }
    this.tokens = [...vocab.tokens];
    this.scores = Float32Array.from(vocab.scores);
    this.types = Int32Array.from(vocab.types);
    this.bosId = vocab.bosId;
    this.eosId = vocab.eosId;
    this.unkId = vocab.unkId;
    this.addBos = vocab.addBos;
    this.addEos = vocab.addEos;
    this.addSpacePrefix = vocab.addSpacePrefix;
    const special: number[] = [];
    for (let id = 0; id < n; id++) {
      const text = this.tokens[id];
      if (text.length === 0) throw new TokenizerError(`SpmTokenizer: token ${id} is empty`);
      if (this.#ids.has(text)) throw new TokenizerError(`SpmTokenizer: token ${id} ${JSON.stringify(text)} repeats token ${this.#ids.get(text)}`);
      this.#ids.set(text, id);
      const type = this.types[id];
      if (type < 0 || type > 6) throw new TokenizerError(`SpmTokenizer: token ${id} has type ${type}; GGUF token types are 0..6`);
      if (type === TOKEN_TYPE.control || type === TOKEN_TYPE.unknown || type === TOKEN_TYPE.userDefined) special.push(id);
      if (type === TOKEN_TYPE.byte) {
        const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(text);
        if (m === null) throw new TokenizerError(`SpmTokenizer: byte token ${id} is ${JSON.stringify(text)}, not <0xXX>`);
      }
    }
    // llama.cpp sorts by text length, longest first; ties keep id order here.
    this.#special = special.sort((a, b) => this.tokens[b].length - this.tokens[a].length || a - b);
    for (let b = 0; b < 256; b++) this.#byteIds[b] = this.#ids.get(bytePiece(b)) ?? (b < 0x80 ? this.#ids.get(String.fromCharCode(b)) : undefined) ?? -1;
  }

  /** Number of tokens. @example `tok.vocabSize; // 300` */
  get vocabSize(): number {
    return this.tokens.length;
  }

  /** The id of a piece, or `undefined`. @example `tok.tokenToId("<s>"); // 1` */
  tokenToId(piece: string): number | undefined {
    return this.#ids.get(piece);
  }

  /** The piece text of an id. @example `tok.idToToken(1); // "<s>"` */
  idToToken(id: number): string {
    this.#checkId(id, "idToToken");
    return this.tokens[id];
  }

  /** The token type of an id (see {@link TOKEN_TYPE}). @example `tok.tokenType(1); // 3 (control)` */
  tokenType(id: number): TokenType {
    this.#checkId(id, "tokenType");
    return this.types[id] as TokenType;
  }

  /**
   * Text to ids, as llama.cpp's `llama_tokenize`: optional BOS, the text split
   * at special tokens (with `parseSpecial`), a space prefixed to each text
   * fragment that starts the input or follows a special token, spaces written
   * as "▁", then SPM merging (highest score first, leftmost on ties) and byte
   * fallback for characters without a piece.
   *
   * @example
   * ```ts
   * tok.encode("hi", { addSpecial: false }); // ids of "▁hi" (or "▁h", "i", ... as the merges allow)
   * ```
   */
  encode(text: string, opts: EncodeOptions = {}): number[] {
    const addSpecial = opts.addSpecial ?? true;
    // llama.cpp sees UTF-8 bytes: a lone surrogate arrives as U+FFFD.
    text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(utf8(text));
    const out: number[] = [];
    if (addSpecial && this.addBos) out.push(this.bosId);
    let prevSpecial = true;
    for (const f of this.#fragments(text, opts.parseSpecial ?? false)) {
      if (f.kind === "token") {
        out.push(f.id);
        prevSpecial = true;
        continue;
      }
      const t = (this.addSpacePrefix && prevSpecial ? " " : "") + f.text;
      this.#tokenizeFragment(t.replaceAll(" ", SPACE_MARK), out);
      prevSpecial = false;
    }
    if (addSpecial && this.addEos) out.push(this.eosId);
    return out;
  }

  /**
   * Ids to bytes, as llama.cpp's `llama_detokenize`: control and unknown
   * tokens give nothing (their text with `unparseSpecial`), byte tokens give
   * their byte, normal pieces their text with "▁" as a space; one leading
   * space is dropped when the vocabulary adds a space prefix, unless a
   * removed BOS came first.
   *
   * @example
   * ```ts
   * tok.decodeBytes(tok.encode("a", { addSpecial: false })); // Uint8Array [97]
   * ```
   */
  decodeBytes(ids: readonly number[], opts: DecodeOptions = {}): Uint8Array {
    let start = 0;
    let end = ids.length;
    let removeSpace = this.addSpacePrefix;
    if (opts.removeSpecial === true && this.addBos && end > 0 && ids[0] === this.bosId) {
      removeSpace = false;
      start = 1;
    }
    if (opts.removeSpecial === true && this.addEos && end > start && ids[end - 1] === this.eosId) end--;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let i = start; i < end; i++) {
      let piece = this.pieceBytes(ids[i], opts.unparseSpecial ?? false);
      if (removeSpace && piece.length > 0 && piece[0] === 0x20) piece = piece.subarray(1);
      removeSpace = false;
      chunks.push(piece);
      total += piece.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /**
   * Ids to text: {@link decodeBytes}, read as UTF-8 (invalid sequences become U+FFFD).
   *
   * @example
   * ```ts
   * tok.decode(tok.encode("héllo", { addSpecial: false })); // "héllo"
   * ```
   */
  decode(ids: readonly number[], opts: DecodeOptions = {}): string {
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(this.decodeBytes(ids, opts));
  }

  /**
   * The bytes one token prints as (llama.cpp's `token_to_piece` with `lstrip` 0).
   *
   * @example
   * ```ts
   * tok.pieceBytes(tok.tokenToId("<0x0A>") ?? 0); // Uint8Array [10]
   * ```
   */
  pieceBytes(id: number, special = false): Uint8Array {
    this.#checkId(id, "pieceBytes");
    const type = this.types[id];
    const text = this.tokens[id];
    if (type === TOKEN_TYPE.control || type === TOKEN_TYPE.unknown) return special ? utf8(text) : new Uint8Array(0);
    if (type === TOKEN_TYPE.userDefined) return utf8(text);
    if (type === TOKEN_TYPE.normal) return utf8(text.replaceAll(SPACE_MARK, " "));
    if (type === TOKEN_TYPE.byte) return Uint8Array.of(Number.parseInt(text.slice(3, 5), 16));
    return new Uint8Array(0);
  }

  /**
   * The vocabulary as plain data (what the GGUF keys hold).
   *
   * @example
   * ```ts
   * new SpmTokenizer(tok.toJSON()).encode("x"); // same ids as tok.encode("x")
   * ```
   */
  toJSON(): SpmVocab {
    return {
      tokens: [...this.tokens],
      scores: [...this.scores],
      types: [...this.types],
      bosId: this.bosId,
      eosId: this.eosId,
      unkId: this.unkId,
      addBos: this.addBos,
      addEos: this.addEos,
      addSpacePrefix: this.addSpacePrefix,
    };
  }

  #checkId(id: number, op: string): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
      throw new TokenizerError(`SpmTokenizer.${op}: id ${id} is outside the vocabulary (0..${this.tokens.length - 1})`);
    }
  }

  /** Splits text at special tokens (llama.cpp's `tokenizer_st_partition`). */
  #fragments(text: string, parseSpecial: boolean): Fragment[] {
    let frags: Fragment[] = text.length === 0 ? [] : [{ kind: "text", text }];
    for (const id of this.#special) {
      const type = this.types[id];
      if (!parseSpecial && (type === TOKEN_TYPE.control || type === TOKEN_TYPE.unknown)) continue;
      const piece = this.tokens[id];
      const next: Fragment[] = [];
      for (const f of frags) {
        if (f.kind === "token") {
          next.push(f);
          continue;
        }
        let from = 0;
        for (;;) {
          const at = f.text.indexOf(piece, from);
          if (at < 0) break;
          if (at > from) next.push({ kind: "text", text: f.text.slice(from, at) });
          next.push({ kind: "token", id });
          from = at + piece.length;
        }
        if (from < f.text.length) next.push({ kind: "text", text: f.text.slice(from) });
      }
      frags = next;
    }
    return frags;
  }

  /** One text fragment (spaces already "▁") to ids: llama.cpp's `llm_tokenizer_spm_session::tokenize`. */
  #tokenizeFragment(text: string, out: number[]): void {
    const symbols: SpmSymbol[] = [];
    const chars = Array.from(text);
    for (let i = 0; i < chars.length; i++) symbols.push({ text: chars[i], prev: i - 1, next: i + 1 < chars.length ? i + 1 : -1 });
    const queue = new BigramQueue();
    const tryAdd = (left: number, right: number): void => {
      if (left === -1 || right === -1) return;
      const piece = symbols[left].text + symbols[right].text;
      const id = this.#ids.get(piece);
      if (id === undefined) return;
      queue.push({ left, right, score: this.scores[id], size: piece.length });
    };
    for (let i = 1; i < symbols.length; i++) tryAdd(i - 1, i);
    for (let b = queue.pop(); b !== undefined; b = queue.pop()) {
      const l = symbols[b.left];
      const r = symbols[b.right];
      // Skip candidates made stale by an earlier merge.
      if (l.text.length === 0 || r.text.length === 0 || l.text.length + r.text.length !== b.size) continue;
      l.text += r.text;
      r.text = "";
      l.next = r.next;
      if (r.next >= 0) symbols[r.next].prev = b.left;
      tryAdd(l.prev, b.left);
      tryAdd(b.left, l.next);
    }
    for (let i = symbols.length === 0 ? -1 : 0; i !== -1; i = symbols[i].next) {
      const s = symbols[i].text;
      const id = this.#ids.get(s);
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      for (const byte of utf8(s)) {
        const bid = this.#byteIds[byte];
        if (bid < 0) throw new TokenizerError(`SpmTokenizer.encode: ${JSON.stringify(s)} has no piece and the vocabulary lacks the byte token ${bytePiece(byte)}`);
        out.push(bid);
      }
    }
  }
}
