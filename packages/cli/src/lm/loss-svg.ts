// A loss curve as a hand-written SVG (no plotting dependency): the raw loss
// per step, its moving average, and labelled axes. Not the training loop.

/** Options of {@link lossCurveSvg}. */
export interface LossCurveOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  /** Moving-average window (default 10 steps). */
  readonly smooth?: number;
}

/**
 * An SVG document plotting `losses` (one per step).
 *
 * @example
 * ```ts
 * lossCurveSvg([5.8, 4.1, 3.2]).startsWith("<svg"); // true
 * ```
 */
export function lossCurveSvg(losses: readonly number[], opts: LossCurveOptions = {}): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 420;
  const m = { left: 60, right: 20, top: 40, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const n = Math.max(losses.length, 2);
  const finite = losses.filter(Number.isFinite);
  const hi = Math.ceil(Math.max(1, ...finite));
  const lo = Math.max(0, Math.floor(Math.min(hi - 1, ...finite)));
  const x = (i: number): number => m.left + (pw * i) / (n - 1);
  const y = (v: number): number => m.top + ph * (1 - (v - lo) / (hi - lo));
  const path = (vs: readonly number[]): string => vs.map((v, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const k = opts.smooth ?? 10;
  const avg = losses.map((_, i) => {
    const s = losses.slice(Math.max(0, i - k + 1), i + 1);
    return s.reduce((a, b) => a + b, 0) / s.length;
  });
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title ?? "training loss")}</text>`,
  ];
  for (let t = 0; t <= 5; t++) {
    const v = lo + ((hi - lo) * t) / 5;
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  for (let t = 0; t <= 5; t++) {
    const i = Math.round(((n - 1) * t) / 5);
    out.push(`<text x="${x(i).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${i + 1}</text>`);
  }
  out.push(
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${H - m.bottom}" stroke="black"/>`,
    `<line x1="${m.left}" y1="${H - m.bottom}" x2="${W - m.right}" y2="${H - m.bottom}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">step</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">cross-entropy (nats/token)</text>`,
    `<path d="${path(losses)}" fill="none" stroke="#9ecae1" stroke-width="1"/>`,
    `<path d="${path(avg)}" fill="none" stroke="#08519c" stroke-width="2"/>`,
    `<text x="${W - m.right - 4}" y="${m.top + 14}" text-anchor="end" fill="#08519c">moving average (${k})</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}
