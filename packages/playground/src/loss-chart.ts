// The loss curve as an SVG string: training loss per step (thin, smoothed)
// and validation loss at each evaluation (dots and a line), shared axes.

/** One point of a curve. */
export interface Point {
  readonly step: number;
  readonly loss: number;
}

const esc = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : "0");

/**
 * A bias-corrected exponential moving average of the losses (as Adam's
 * moments: the first point is unchanged, early points are not dragged toward 0).
 *
 * @example
 * ```ts
 * smooth([{ step: 1, loss: 4 }, { step: 2, loss: 2 }], 0.5); // [{ step: 1, loss: 4 }, { step: 2, loss: 2.6666666666666665 }]
 * ```
 */
export function smooth(points: readonly Point[], keep = 0.9): Point[] {
  let acc = 0;
  let weight = 0;
  return points.map((p) => {
    acc = keep * acc + (1 - keep) * p.loss;
    weight = keep * weight + (1 - keep);
    return { step: p.step, loss: acc / weight };
  });
}

/**
 * The SVG of the two curves in a `width` x `height` box with labelled axes.
 *
 * @example
 * ```ts
 * lossChartSvg([{ step: 1, loss: 5 }, { step: 2, loss: 4 }], [{ step: 2, loss: 4.2 }], 600, 240).startsWith("<svg"); // true
 * ```
 */
export function lossChartSvg(train: readonly Point[], val: readonly Point[], width: number, height: number): string {
  const pad = { l: 44, r: 12, t: 12, b: 28 };
  const all = [...train, ...val];
  if (all.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="loss curve"><text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="muted">the loss curve appears when training starts</text></svg>`;
  }
  const maxStep = Math.max(1, ...all.map((p) => p.step));
  const lo = Math.max(0, Math.floor(Math.min(...all.map((p) => p.loss)) * 2) / 2 - 0.5);
  const hi = Math.ceil(Math.max(...all.map((p) => p.loss)) * 2) / 2;
  const x = (s: number): number => pad.l + (s / maxStep) * (width - pad.l - pad.r);
  const y = (l: number): number => pad.t + ((hi - l) / Math.max(1e-6, hi - lo)) * (height - pad.t - pad.b);
  const path = (ps: readonly Point[]): string => ps.map((p, i) => `${i === 0 ? "M" : "L"}${esc(x(p.step))},${esc(y(p.loss))}`).join("");
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const l = lo + ((hi - lo) * i) / 4;
    ticks.push(`<line x1="${pad.l}" x2="${width - pad.r}" y1="${esc(y(l))}" y2="${esc(y(l))}" class="grid"/><text x="${pad.l - 6}" y="${esc(y(l) + 4)}" text-anchor="end">${l.toFixed(1)}</text>`);
    const s = Math.round((maxStep * i) / 4);
    ticks.push(`<text x="${esc(x(s))}" y="${height - 8}" text-anchor="middle">${s}</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="loss curve">`,
    ...ticks,
    `<path d="${path(train)}" class="train-raw"/>`,
    `<path d="${path(smooth(train))}" class="train"/>`,
    `<path d="${path(val)}" class="val"/>`,
    ...val.map((p) => `<circle cx="${esc(x(p.step))}" cy="${esc(y(p.loss))}" r="3" class="val-dot"/>`),
    "</svg>",
  ].join("");
}
