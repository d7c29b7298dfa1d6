// SentencePiece's `tokenizer.model`: the protobuf fields a llama-style (SPM) vocabulary needs,
// read and written by hand (no protobuf library). Fields: sentencepiece_model.proto.

import { type BytesLike, toBytes } from "@bitnet-quantize/gguf";
import { HfCheckpointError } from "./hf-error.js";

/**
 * What {@link parseSentencePieceModel} reads: the pieces with scores and types
 * (SentencePiece's Type enum: 1 normal, 2 unknown, 3 control, 4 user-defined,
 * 5 unused, 6 byte — the same numbers as `TOKEN_TYPE`), the special ids, the
 * model type and the normalizer's `add_dummy_prefix`.
 *
 * @example
 * ```ts
 * // { pieces: ["<unk>", "<s>", "</s>", ...], scores: [...], types: [2, 3, 3, ...], unkId: 0, bosId: 1, eosId: 2,
 * //   padId: -1, modelType: "bpe", byteFallback: true, addDummyPrefix: true }
 * ```
 */
export interface SentencePieceModel {
  readonly pieces: readonly string[];
  readonly scores: readonly number[];
  readonly types: readonly number[];
  readonly unkId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly modelType: "unigram" | "bpe" | "word" | "char";
  readonly byteFallback: boolean;
  readonly addDummyPrefix: boolean;
}

class ProtoReader {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly end = bytes.length,
  ) {}
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new HfCheckpointError(`tokenizer.model: truncated varint at byte ${this.pos}`);
      const b = this.bytes[this.pos++];
      if (i < 8) result += (b & 0x7f) * mul; // beyond 2^56 only sign-extension bytes of negative int32s follow
      mul *= 128;
      if ((b & 0x80) === 0) return result;
    }
    throw new HfCheckpointError(`tokenizer.model: varint longer than 10 bytes at byte ${this.pos}`);
  }
  /** An int32 field: negative values are written as 10-byte two's complement varints; keep the low 32 bits. */
  int32(): number {
    let low = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new HfCheckpointError(`tokenizer.model: truncated varint at byte ${this.pos}`);
      const b = this.bytes[this.pos++];
      if (i < 5) low |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return low | 0;
    }
    throw new HfCheckpointError(`tokenizer.model: varint longer than 10 bytes at byte ${this.pos}`);
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.advance(this.varint());
    else if (wireType === 5) this.advance(4);
    else throw new HfCheckpointError(`tokenizer.model: unsupported protobuf wire type ${wireType} at byte ${this.pos}`);
  }
  advance(n: number): void {
    if (this.pos + n > this.end) throw new HfCheckpointError(`tokenizer.model: field of ${n} bytes at byte ${this.pos} runs past its message`);
    this.pos += n;
  }
  sub(): ProtoReader {
    const n = this.varint();
    const r = new ProtoReader(this.bytes, this.pos + n);
    if (r.end > this.end) throw new HfCheckpointError(`tokenizer.model: message of ${n} bytes at byte ${this.pos} runs past its parent`);
    r.pos = this.pos;
    this.pos += n;
    return r;
  }
}

const MODEL_TYPES = { 1: "unigram", 2: "bpe", 3: "word", 4: "char" } as const;

/**
 * Parses a SentencePiece `tokenizer.model` (ModelProto): `pieces` (field 1: piece 1,
 * score 2, type 3), `trainer_spec` (2: model_type 3, byte_fallback 35, unk_id 40,
 * bos_id 41, eos_id 42, pad_id 43) and `normalizer_spec` (3: add_dummy_prefix 3).
 * Unknown fields are skipped.
 *
 * @throws HfCheckpointError for truncated or malformed protobuf, or no pieces.
 * @example
 * ```ts
 * const spm = parseSentencePieceModel(readFileSync("tokenizer.model"));
 * spm.pieces.length; // 32000 for Llama 2 / 1bitLLM
 * ```
 */
export function parseSentencePieceModel(input: BytesLike): SentencePieceModel {
  const bytes = toBytes(input, "parseSentencePieceModel");
  const r = new ProtoReader(bytes);
  const pieces: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const dec = new TextDecoder("utf-8", { fatal: true });
  const trainer = { modelType: 1, byteFallback: false, unkId: 0, bosId: 1, eosId: 2, padId: -1 };
  let addDummyPrefix = true;
  while (r.pos < r.end) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 1 && wire === 2) {
      const p = r.sub();
      let piece = "";
      let score = 0;
      let type = 1;
      while (p.pos < p.end) {
        const k = p.varint();
        if (k === (1 << 3) + 2) {
          const n = p.varint();
          p.advance(n);
          try {
            piece = dec.decode(bytes.subarray(p.pos - n, p.pos));
          } catch {
            throw new HfCheckpointError(`tokenizer.model: piece ${pieces.length} is not valid UTF-8`);
          }
        } else if (k === (2 << 3) + 5) {
          p.advance(4);
          score = new DataView(bytes.buffer, bytes.byteOffset + p.pos - 4, 4).getFloat32(0, true);
        } else if (k === (3 << 3) + 0) type = p.varint();
        else p.skip(k & 7);
      }
      pieces.push(piece);
      scores.push(score);
      types.push(type);
    } else if (field === 2 && wire === 2) {
      const t = r.sub();
      while (t.pos < t.end) {
        const k = t.varint();
        const f = Math.floor(k / 8);
        if ((k & 7) !== 0) t.skip(k & 7);
        else if (f === 3) trainer.modelType = t.varint();
        else if (f === 35) trainer.byteFallback = t.varint() !== 0;
        else if (f === 40) trainer.unkId = t.int32();
        else if (f === 41) trainer.bosId = t.int32();
        else if (f === 42) trainer.eosId = t.int32();
        else if (f === 43) trainer.padId = t.int32();
        else t.varint();
      }
    } else if (field === 3 && wire === 2) {
      const n = r.sub();
      while (n.pos < n.end) {
        const k = n.varint();
        if (k === (3 << 3) + 0) addDummyPrefix = n.varint() !== 0;
        else n.skip(k & 7);
      }
    } else r.skip(wire);
  }
  if (pieces.length === 0) throw new HfCheckpointError("tokenizer.model: no pieces (is this a SentencePiece model file?)");
  const modelType = MODEL_TYPES[trainer.modelType as keyof typeof MODEL_TYPES];
  if (modelType === undefined) throw new HfCheckpointError(`tokenizer.model: unknown model_type ${trainer.modelType}`);
  return { pieces, scores, types, unkId: trainer.unkId, bosId: trainer.bosId, eosId: trainer.eosId, padId: trainer.padId, modelType, byteFallback: trainer.byteFallback, addDummyPrefix };
}

class ProtoWriter {
  readonly parts: number[] = [];
  varint(v: number): void {
    let x = v;
    if (x < 0) {
      // int32 negatives: ten-byte two's complement
      let b = BigInt.asUintN(64, BigInt(x));
      for (let i = 0; i < 10; i++) {
        const byte = Number(b & 0x7fn);
        b >>= 7n;
        this.parts.push(b === 0n ? byte : byte | 0x80);
        if (b === 0n) return;
      }
      return;
    }
    while (x >= 0x80) {
      this.parts.push((x % 128) | 0x80);
      x = Math.floor(x / 128);
    }
    this.parts.push(x);
  }
  bytesField(field: number, b: Uint8Array | number[]): void {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
  }
  varintField(field: number, v: number): void {
    this.varint(field << 3);
    this.varint(v);
  }
  floatField(field: number, v: number): void {
    this.varint((field << 3) | 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.parts.push(x);
  }
}

/**
 * Writes a SentencePiece `tokenizer.model` with the fields {@link parseSentencePieceModel} reads.
 *
 * @example
 * ```ts
 * parseSentencePieceModel(writeSentencePieceModel(spm)).pieces; // spm.pieces
 * ```
 */
export function writeSentencePieceModel(m: SentencePieceModel): Uint8Array {
  const enc = new TextEncoder();
  const w = new ProtoWriter();
  for (let i = 0; i < m.pieces.length; i++) {
    const p = new ProtoWriter();
    p.bytesField(1, enc.encode(m.pieces[i]));
    p.floatField(2, m.scores[i]);
    p.varintField(3, m.types[i]);
    w.bytesField(1, p.parts);
  }
  const t = new ProtoWriter();
  t.varintField(3, { unigram: 1, bpe: 2, word: 3, char: 4 }[m.modelType]);
  t.varintField(35, m.byteFallback ? 1 : 0);
  t.varintField(40, m.unkId);
  t.varintField(41, m.bosId);
  t.varintField(42, m.eosId);
  t.varintField(43, m.padId);
  w.bytesField(2, t.parts);
  const n = new ProtoWriter();
  n.bytesField(1, enc.encode("identity"));
  n.varintField(3, m.addDummyPrefix ? 1 : 0);
  w.bytesField(3, n.parts);
  return Uint8Array.from(w.parts);
}
