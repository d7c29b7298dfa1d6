// The playground's typed error.

/**
 * What the playground throws when the user's input cannot be used (text too
 * short, unknown size, a file that is not a model).
 *
 * @example
 * ```ts
 * new PlaygroundError("the text is too short").name; // "PlaygroundError"
 * ```
 */
export class PlaygroundError extends Error {
  override readonly name = "PlaygroundError";
}
