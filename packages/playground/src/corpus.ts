// The default training text: tiny generated stories with a small vocabulary,
// so a model of a few thousand parameters visibly learns in a minute.

const NAMES = ["tom", "anna", "ben", "lily", "max", "sue"];
const PETS = ["cat", "dog", "bird", "fish", "frog"];
const PLACES = ["park", "garden", "river", "forest", "house"];
const THINGS = ["ball", "kite", "box", "hat", "book"];
const FEELINGS = ["happy", "sad", "tired", "glad", "scared"];

/** A tiny deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * About `chars` characters of tiny stories ("one day tom saw a cat in the
 * park. ..."), the same text for the same seed.
 *
 * @example
 * ```ts
 * defaultCorpus(200, 1).startsWith("one day"); // true
 * ```
 */
export function defaultCorpus(chars = 20_000, seed = 1): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const who = pick(NAMES);
    const pet = pick(PETS);
    const place = pick(PLACES);
    const thing = pick(THINGS);
    const story =
      `one day ${who} saw a ${pet} in the ${place}. the ${pet} had a ${thing}. ` +
      `${who} was ${pick(FEELINGS)}. ${who} and the ${pet} played with the ${thing} in the ${place}. the end.\n`;
    out.push(story);
    n += story.length;
  }
  return out.join("");
}
