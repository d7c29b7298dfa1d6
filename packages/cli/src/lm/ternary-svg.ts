// The ternary weight histogram as a hand-written SVG: one bar for each of
// -1, 0 and +1 with its share of all projection weights. Not the counting.

/** Fractions of -1, 0 and +1 (they sum to 1) and the number of weights counted. */
export interface TernaryShares {
  readonly minus: number;
  readonly zero: number;
  readonly plus: number;
  readonly total: number;
}

/**
 * An SVG bar chart of the ternary weight distribution.
 *
 * @example
 * ```ts
 * ternaryHistogramSvg({ minus: 0.3, zero: 0.4, plus: 0.3, total: 1000 }).includes(">40.0%<"); // true
 * ```
 */
export function ternaryHistogramSvg(d: TernaryShares, opts: { readonly title?: string; readonly width?: number; readonly height?: number } = {}): string {
  const W = opts.width ?? 480;
  const H = opts.height ?? 360;
  const m = { left: 60, right: 20, top: 44, bottom: 50 };
  const ph = H - m.top - m.bottom;
  const pw = W - m.left - m.right;
  const top = Math.min(1, Math.ceil(Math.max(d.minus, d.zero, d.plus, 0.01) * 10) / 10);
  const y = (f: number): number => m.top + ph * (1 - f / top);
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title ?? `ternary weights (${d.total.toLocaleString("en-US")} in all projections)`)}</text>`,
  ];
  const tickCount = Math.round(top * 10);
  for (let i = 0; i <= tickCount; i++) {
    const f = i / 10;
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(f).toFixed(1)}" y2="${y(f).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 8}" y="${(y(f) + 4).toFixed(1)}" text-anchor="end">${i * 10}%</text>`);
  }
  const bars: [string, number, string][] = [
    ["-1", d.minus, "#3182bd"],
    ["0", d.zero, "#969696"],
    ["+1", d.plus, "#e6550d"],
  ];
  const slot = pw / bars.length;
  bars.forEach(([label, f, color], i) => {
    const bx = m.left + slot * i + slot * 0.2;
    out.push(`<rect x="${bx.toFixed(1)}" y="${y(f).toFixed(1)}" width="${(slot * 0.6).toFixed(1)}" height="${(m.top + ph - y(f)).toFixed(1)}" fill="${color}"/>`);
    out.push(`<text x="${(bx + slot * 0.3).toFixed(1)}" y="${(y(f) - 6).toFixed(1)}" text-anchor="middle">${(100 * f).toFixed(1)}%</text>`);
    out.push(`<text x="${(bx + slot * 0.3).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle" font-size="14">${label}</text>`);
  });
  out.push(
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${H - m.bottom}" stroke="black"/>`,
    `<line x1="${m.left}" y1="${H - m.bottom}" x2="${W - m.right}" y2="${H - m.bottom}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">weight value</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">share of weights</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}
