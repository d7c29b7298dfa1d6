// A loss chart as a hand-written SVG (no plotting dependency): the training
// loss per step (raw and a moving average) and the validation loss at the
// steps where it was measured, a legend naming every line, and axes with
// ticks at round numbers. Not the training loop.
import { niceTicks } from "./nice-ticks.js";

/** Options of {@link lossCurveSvg}. */
export interface LossCurveOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  /** Moving-average window (default 10 steps). */
  readonly smooth?: number;
  /** Validation losses as (steps taken, loss) points. */
  readonly validation?: readonly { readonly step: number; readonly loss: number }[];
}

const COLORS = { raw: "#9ecae1", avg: "#08519c", val: "#e6550d" };

/**
 * An SVG document plotting `losses` (one per step, step 1 first) and, when
 * given, the validation points.
 *
 * @example
 * ```ts
 * lossCurveSvg([5.8, 4.1, 3.2], { validation: [{ step: 3, loss: 3.5 }] }).startsWith("<svg"); // true
 * ```
 */
export function lossCurveSvg(losses: readonly number[], opts: LossCurveOptions = {}): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 420;
  const m = { left: 60, right: 20, top: 40, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const val = (opts.validation ?? []).filter((p) => Number.isFinite(p.loss));
  const lastStep = Math.max(losses.length, ...val.map((p) => p.step), 1);
  const finite = [...losses.filter(Number.isFinite), ...val.map((p) => p.loss)];
  const yTicks = niceTicks(finite.length === 0 ? 0 : Math.min(...finite), finite.length === 0 ? 1 : Math.max(...finite), 5);
  const xTicks = niceTicks(0, lastStep, 6);
  const [ylo, yhi] = [yTicks[0], yTicks.at(-1) as number];
  const [xlo, xhi] = [xTicks[0], xTicks.at(-1) as number];
  const x = (step: number): number => m.left + (pw * (step - xlo)) / (xhi - xlo);
  const y = (v: number): number => m.top + ph * (1 - (v - ylo) / (yhi - ylo));
  const path = (pts: readonly (readonly [number, number])[]): string =>
    pts.map(([s, v], i) => `${i === 0 ? "M" : "L"}${x(s).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const k = opts.smooth ?? 10;
  const raw = losses.map((v, i) => [i + 1, v] as const).filter(([, v]) => Number.isFinite(v));
  const avg = raw.map(([s], i) => {
    const w = raw.slice(Math.max(0, i - k + 1), i + 1);
    return [s, w.reduce((a, [, v]) => a + v, 0) / w.length] as const;
  });
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const fmt = (v: number): string => String(Number(v.toPrecision(6)));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title ?? "training loss")}</text>`,
  ];
  for (const v of yTicks) {
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
  }
  for (const s of xTicks) {
    out.push(`<line x1="${x(s).toFixed(1)}" x2="${x(s).toFixed(1)}" y1="${H - m.bottom}" y2="${H - m.bottom + 5}" stroke="black"/>`);
    out.push(`<text x="${x(s).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${fmt(s)}</text>`);
  }
  out.push(
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${H - m.bottom}" stroke="black"/>`,
    `<line x1="${m.left}" y1="${H - m.bottom}" x2="${W - m.right}" y2="${H - m.bottom}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">step</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">cross-entropy (nats/token)</text>`,
    `<path class="train" d="${path(raw)}" fill="none" stroke="${COLORS.raw}" stroke-width="1"/>`,
    `<path class="train-avg" d="${path(avg)}" fill="none" stroke="${COLORS.avg}" stroke-width="2"/>`,
  );
  if (val.length > 0) {
    out.push(`<path class="val" d="${path(val.map((p) => [p.step, p.loss] as const))}" fill="none" stroke="${COLORS.val}" stroke-width="2"/>`);
    for (const p of val) out.push(`<circle cx="${x(p.step).toFixed(1)}" cy="${y(p.loss).toFixed(1)}" r="3" fill="${COLORS.val}"/>`);
  }
  const legend: [string, string][] = [
    [COLORS.raw, "training loss (per step)"],
    [COLORS.avg, `training loss (moving average of ${k})`],
  ];
  if (val.length > 0) legend.push([COLORS.val, "validation loss (held-out text)"]);
  const lx = W - m.right - 250;
  out.push(`<rect class="legend" x="${lx - 8}" y="${m.top + 2}" width="250" height="${legend.length * 18 + 8}" fill="white" stroke="#ccc"/>`);
  legend.forEach(([color, label], i) => {
    const ly = m.top + 16 + i * 18;
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 32}" y="${ly}">${esc(label)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
