// A built-in data set that needs no download: 28x28 grey images of ten
// procedurally drawn shapes (bars, diagonals, squares, rings, discs, crosses)
// at random positions, sizes and stroke widths, with pixel noise. Seeded.
import { Generator } from "@bitnet-quantize/tensor";
import type { Dataset, Splits } from "./dataset.js";

/** The class names, by label. */
export const SYNTHETIC_CLASSES = [
  "horizontal bar", "vertical bar", "diagonal", "anti-diagonal", "filled square",
  "hollow square", "ring", "disc", "plus", "cross",
] as const;

const SIDE = 28;

/** How much ink the shape of class `c` puts at pixel (px, py), in [0, 1]. */
function ink(c: number, px: number, py: number, cx: number, cy: number, r: number, w: number): number {
  const dx = px - cx;
  const dy = py - cy;
  const inBox = Math.abs(dx) <= r && Math.abs(dy) <= r;
  const d = Math.hypot(dx, dy);
  switch (c) {
    case 0: return Math.abs(dy) <= w / 2 && Math.abs(dx) <= r ? 1 : 0;
    case 1: return Math.abs(dx) <= w / 2 && Math.abs(dy) <= r ? 1 : 0;
    case 2: return inBox && Math.abs(dx - dy) <= w * 0.7 ? 1 : 0;
    case 3: return inBox && Math.abs(dx + dy) <= w * 0.7 ? 1 : 0;
    case 4: return inBox ? 1 : 0;
    case 5: return inBox && (Math.abs(dx) > r - w || Math.abs(dy) > r - w) ? 1 : 0;
    case 6: return Math.abs(d - r) <= w / 2 ? 1 : 0;
    case 7: return d <= r ? 1 : 0;
    case 8: return (Math.abs(dx) <= w / 2 && Math.abs(dy) <= r) || (Math.abs(dy) <= w / 2 && Math.abs(dx) <= r) ? 1 : 0;
    default: return inBox && (Math.abs(dx - dy) <= w * 0.7 || Math.abs(dx + dy) <= w * 0.7) ? 1 : 0;
  }
}

/**
 * `n` images (balanced over the ten classes, in random order) drawn from `generator`.
 *
 * @example
 * ```ts
 * const d = drawShapes(100, new Generator(1)); // d.x: 100·784 floats in [0, 1], d.y: labels 0..9
 * ```
 */
export function drawShapes(n: number, generator: Generator): Dataset {
  const features = SIDE * SIDE;
  const x = new Float32Array(n * features);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    y[i] = c;
    const r = 5 + generator.nextFloat() * 5; // half-size 5..10 px
    const w = 1.5 + generator.nextFloat() * 2; // stroke 1.5..3.5 px
    const cx = 13.5 + (generator.nextFloat() * 2 - 1) * (13 - r) * 0.8;
    const cy = 13.5 + (generator.nextFloat() * 2 - 1) * (13 - r) * 0.8;
    const level = 0.6 + 0.4 * generator.nextFloat();
    for (let py = 0; py < SIDE; py++) {
      for (let px = 0; px < SIDE; px++) {
        const v = level * ink(c, px, py, cx, cy, r, w) + 0.15 * generator.nextNormal();
        x[i * features + py * SIDE + px] = Math.min(1, Math.max(0, v));
      }
    }
  }
  // shuffle examples so that batches in order are not sorted by class
  for (let i = n - 1; i > 0; i--) {
    const j = generator.nextInt(0, i + 1);
    const ty = y[i];
    y[i] = y[j];
    y[j] = ty;
    const row = x.slice(i * features, (i + 1) * features);
    x.copyWithin(i * features, j * features, (j + 1) * features);
    x.set(row, j * features);
  }
  return { x, y, n, features, classes: 10 };
}

/**
 * The synthetic splits: `trainSize` and `testSize` images from one seed.
 *
 * @example
 * ```ts
 * const { train, test } = syntheticShapes({ seed: 0 }); // 12,000 and 2,000 images of 784 pixels
 * ```
 */
export function syntheticShapes(opts: { readonly seed?: number; readonly trainSize?: number; readonly testSize?: number } = {}): Splits {
  const g = new Generator(opts.seed ?? 0);
  const train = drawShapes(opts.trainSize ?? 12_000, g);
  const test = drawShapes(opts.testSize ?? 2_000, g);
  return { train, test, source: `synthetic shapes (seed ${opts.seed ?? 0})` };
}
