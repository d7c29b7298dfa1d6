// GGUF token types (`tokenizer.ggml.token_type`, i32) and the SentencePiece
// special pieces this package's vocabularies start with. Constants only.

/**
 * The token type ids GGUF stores per token (llama.cpp's `llama_token_type`).
 *
 * @example
 * ```ts
 * TOKEN_TYPE.byte; // 6
 * ```
 */
export const TOKEN_TYPE = {
  undefined: 0,
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const;

/**
 * One of the {@link TOKEN_TYPE} values.
 *
 * @example
 * ```ts
 * const t: TokenType = TOKEN_TYPE.normal; // 1
 * ```
 */
export type TokenType = (typeof TOKEN_TYPE)[keyof typeof TOKEN_TYPE];

/**
 * The SentencePiece word-boundary mark U+2581 ("▁"), which stands for a space inside pieces.
 *
 * @example
 * ```ts
 * " a b".replaceAll(" ", SPACE_MARK); // "▁a▁b"
 * ```
 */
export const SPACE_MARK = "\u2581";

/**
 * The piece text of the byte token for `b`: `<0x0A>` for 10 (two upper-case hex digits, as llama.cpp looks it up).
 *
 * @example
 * ```ts
 * bytePiece(10); // "<0x0A>"
 * ```
 */
export function bytePiece(b: number): string {
  return `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`;
}
