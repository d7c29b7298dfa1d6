// The guided tour panel: renders tourData() as a sequence of small tables
// with a sentence for each step.
import { type Matrix, type TourData, maxDiff, tourData } from "./tour.js";

const fmt = (v: number, digits: number): string => (Number.isInteger(v) && digits > 0 && Math.abs(v) < 1e6 ? String(v) : v.toFixed(digits));

/** A matrix as an HTML table (`digits` decimals; integers stay integers). */
function table(m: Matrix, digits = 3, cls = ""): string {
  const body = m.map((r) => `<tr>${r.map((v) => `<td class="${cls} ${v < 0 ? "neg" : v > 0 ? "pos" : "zero"}">${fmt(v, digits)}</td>`).join("")}</tr>`).join("");
  return `<table class="matrix">${body}</table>`;
}

function step(n: number, title: string, text: string, content: string): string {
  return `<section class="tour-step" data-step="${n}"><h3><span class="badge">${n}</span>${title}</h3><p>${text}</p><div class="tour-row">${content}</div></section>`;
}

const labelled = (label: string, html: string): string => `<figure><figcaption>${label}</figcaption>${html}</figure>`;

/**
 * The tour's HTML for `d` (computed by the library when the page loads).
 *
 * @example
 * ```ts
 * tourHtml(tourData()).includes("AbsMean"); // true
 * ```
 */
export function tourHtml(d: TourData = tourData()): string {
  const diffY = Math.max(maxDiff(d.y, d.yBitLinear), maxDiff(d.y, d.yPacked));
  const diffG = Math.max(maxDiff(d.gradW, d.gradWSte), maxDiff(d.gradX, d.gradXSte));
  return [
    `<p class="lead">One <code>BitLinear</code> forward and backward, y = x·Wᵀ with ternary weights and int8 activations, on two tokens of four features and three outputs.
    Every number below was computed by <code>@bitnet-quantize/bitnet</code> when this page loaded.</p>`,
    step(0, "The inputs", "A float input x (one row per token) and the latent float weight W the optimizer updates.", labelled("x [2, 4]", table(d.x)) + labelled("W [3, 4]", table(d.w))),
    step(
      1,
      "AbsMean scale",
      "The weight scale is the mean absolute value of W: <code>s = mean(|W|)</code> (<code>absMeanTernary</code>, per tensor).",
      labelled("s", `<div class="scalar" id="tour-wscale">${d.wScale.toFixed(4)}</div>`),
    ),
    step(2, "Ternary codes", "Each weight becomes -1, 0 or +1: <code>t = clamp(round(W / s), -1, 1)</code>. This is what is stored, 2 bits each (1.58 bits of information).", labelled("t [3, 4]", table(d.wCodes, 0, "code"))),
    step(
      3,
      "AbsMax int8 activations",
      "Each token is scaled so its largest entry maps to 127: <code>scale = 127 / max|x_row|</code>, <code>q = round(x · scale)</code> (<code>absMaxInt8</code>).",
      labelled("scale per token", table(d.xScales.map((v) => [v]), 2)) + labelled("q [2, 4] (int8)", table(d.xCodes, 0, "code")),
    ),
    step(4, "The integer product", "Multiply int8 by ternary: only additions and subtractions, summed exactly in int32: <code>acc = q · tᵀ</code>.", labelled("acc [2, 3] (int32)", table(d.acc, 0))),
    step(
      5,
      "The rescale",
      `Undo both scales: <code>y = acc · s / scale</code>. <code>BitLinear.forward</code> and the packed 2-bit kernel (<code>ternaryMatmul</code>) give the same numbers (largest difference ${diffY.toExponential(1)}).`,
      labelled("y = acc · s / scale", table(d.y, 4)) + labelled("BitLinear.forward(x)", table(d.yBitLinear, 4)) + labelled("packed kernel", table(d.yPacked, 4)),
    ),
    step(
      6,
      "The straight-through gradient",
      `round() has zero gradient almost everywhere, so training pretends the quantizers are the identity (the straight-through estimator):
       dL/dW = gᵀ · x̂ and dL/dx = g · Ŵ, with x̂ = q / scale and Ŵ = s·t. Autograd through <code>BitLinear</code> gives exactly these (largest difference ${diffG.toExponential(1)}).`,
      labelled("upstream g = dL/dy", table(d.upstream, 1)) + labelled("dL/dW (autograd)", table(d.gradW, 4)) + labelled("gᵀ · x̂", table(d.gradWSte, 4)) + labelled("dL/dx (autograd)", table(d.gradX, 4)) + labelled("g · Ŵ", table(d.gradXSte, 4)),
    ),
  ].join("\n");
}
