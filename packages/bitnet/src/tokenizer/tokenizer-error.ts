// The error the tokenizer throws: a bad vocabulary, an id out of range, or
// text that needs a byte token the vocabulary lacks.
import { BitNetError } from "../errors.js";

/**
 * A tokenizer problem, naming the token, id or text position involved.
 *
 * @example
 * ```ts
 * new SpmTokenizer({ ...vocab, bosId: 99999 }); // throws TokenizerError: bosId 99999 is outside the vocabulary (0..299)
 * ```
 */
export class TokenizerError extends BitNetError {}
