// A tiny-stories corpus generated in code (seeded, no download): short
// sentences from a small grammar, so a small model learns visible structure
// in minutes. Not the tokenizer or the training loop.
import { Generator } from "@bitnet-quantize/tensor";

const NAMES = ["tom", "lily", "max", "sara", "ben", "mia"];
const ANIMALS = ["cat", "dog", "bird", "fish", "frog", "duck"];
const ADJS = ["little", "big", "happy", "sleepy", "red", "funny"];
const PLACES = ["park", "garden", "house", "river", "forest", "school"];
const THINGS = ["ball", "cake", "box", "hat", "kite", "book"];
const FEELINGS = ["happy", "sad", "tired", "glad", "scared"];

/** Options of {@link generateCorpus}. */
export interface CorpusOptions {
  /** Number of stories (default 1500). */
  readonly stories?: number;
  /** Seed (default 0). */
  readonly seed?: number;
}

/**
 * Stories of three to five sentences, one story per line, e.g. "one day tom
 * saw a little cat in the park. the cat had a red ball. tom and the cat
 * played all day. tom was happy."
 *
 * @example
 * ```ts
 * generateCorpus({ stories: 2, seed: 1 }).split("\n").length; // 3 (two stories and a final newline)
 * ```
 */
export function generateCorpus(opts: CorpusOptions = {}): string {
  const g = new Generator(opts.seed ?? 0);
  const pick = <T>(xs: readonly T[]): T => xs[g.nextInt(0, xs.length)];
  const lines: string[] = [];
  for (let s = 0; s < (opts.stories ?? 1500); s++) {
    const name = pick(NAMES);
    const animal = pick(ANIMALS);
    const adj = pick(ADJS);
    const place = pick(PLACES);
    const thing = pick(THINGS);
    const feeling = pick(FEELINGS);
    const parts = [`one day ${name} saw a ${adj} ${animal} in the ${place}.`];
    parts.push(pick([`the ${animal} had a ${thing}.`, `the ${animal} wanted a ${thing}.`, `the ${animal} lost its ${thing}.`]));
    if (g.nextFloat() < 0.5) parts.push(pick([`${name} and the ${animal} played all day.`, `${name} gave the ${animal} a ${thing}.`, `they went to the ${pick(PLACES)} together.`]));
    parts.push(pick([`${name} was ${feeling}.`, `the ${animal} was ${feeling}.`, `then ${name} went home.`]));
    if (g.nextFloat() < 0.3) parts.push("the end.");
    lines.push(parts.join(" "));
  }
  return `${lines.join("\n")}\n`;
}
