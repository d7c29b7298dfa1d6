// The playground page: wires the controls to the training worker and draws
// what it reports (loss curve, stats, ternary bars, samples); exports and
// loads GGUF files; renders the guided tour. URL parameters preset the form:
// ?backend=cpu|webgpu|auto, ?size=tiny|small|medium, ?steps=N, ?evalEvery=N.
import type { GgufWeightType } from "@bitnet-quantize/bitnet/gguf";
import { defaultCorpus } from "./corpus.js";
import { lossChartSvg } from "./loss-chart.js";
import type { BackendChoice, FromWorker, ToWorker } from "./protocol.js";
import type { ProjectionStats } from "./session.js";
import type { PlaygroundState } from "./state.js";
import { SIZES, TEXT_LIMITS, isSizeName } from "./sizes.js";
import { tourHtml } from "./tour-view.js";


const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
};

const state: PlaygroundState = {
  backend: null, backendNote: "", step: 0, losses: [], valLosses: [], projections: [], sample: "", running: false, stoppedReason: "", exported: null, loaded: "", generated: "", errors: [], tourReady: false,
};
(globalThis as { __playground?: PlaygroundState }).__playground = state;

const params = new URLSearchParams(location.search);
const worker = new Worker("worker.js", { type: "module" });
const send = (m: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(m, transfer);

// --- form defaults ---------------------------------------------------------
const text = $<HTMLTextAreaElement>("text");
const size = $<HTMLSelectElement>("size");
const steps = $<HTMLInputElement>("steps");
const backend = $<HTMLSelectElement>("backend");
const prompt = $<HTMLInputElement>("prompt");
text.value = defaultCorpus(12_000);
for (const [key, s] of Object.entries(SIZES)) size.add(new Option(s.label, key));
const sizeParam = params.get("size") ?? "tiny";
size.value = isSizeName(sizeParam) ? sizeParam : "tiny";
steps.value = params.get("steps") ?? "300";
const backendParam = params.get("backend");
backend.value = backendParam === "cpu" || backendParam === "webgpu" ? backendParam : "auto";
prompt.value = "one day";
const evalEvery = Math.max(1, Number(params.get("evalEvery") ?? "20") || 20);
const countText = (): void => {
  const n = text.value.length;
  $("text-count").textContent = `${n.toLocaleString()} characters (${TEXT_LIMITS.min.toLocaleString()}–${TEXT_LIMITS.max.toLocaleString()})`;
};
text.addEventListener("input", countText);
countText();

// --- drawing -----------------------------------------------------------------
let chartPending = false;
const drawChart = (): void => {
  if (chartPending) return;
  chartPending = true;
  requestAnimationFrame(() => {
    chartPending = false;
    $("chart").innerHTML = lossChartSvg(state.losses, state.valLosses, 760, 220);
  });
};
drawChart();

const pct = (n: number, total: number): string => `${((100 * n) / Math.max(1, total)).toFixed(1)}%`;
/** The share of zeros of each projection at every evaluation, for the sparklines. */
const zeroHistory = new Map<string, number[]>();
function sparkline(values: readonly number[]): string {
  if (values.length < 2) return '<svg class="spark" viewBox="0 0 60 14"></svg>';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pts = values.map((v, i) => `${((60 * i) / (values.length - 1)).toFixed(1)},${(13 - (12 * (v - lo)) / Math.max(1e-9, hi - lo)).toFixed(1)}`).join(" ");
  return `<svg class="spark" viewBox="0 0 60 14"><polyline points="${pts}"/></svg>`;
}
function drawHistogram(ps: ProjectionStats[]): void {
  for (const p of ps) {
    const h = zeroHistory.get(p.name) ?? [];
    h.push(p.zero / Math.max(1, p.minus + p.zero + p.plus));
    zeroHistory.set(p.name, h);
  }
  $("histogram").innerHTML = ps
    .map((p) => {
      const total = p.minus + p.zero + p.plus;
      const zeros = zeroHistory.get(p.name) ?? [];
      const title = `${p.name}: −1 ${pct(p.minus, total)}, 0 ${pct(p.zero, total)}, +1 ${pct(p.plus, total)}; ${(100 * p.flipped).toFixed(2)}% changed since the last update; the line is the share of zeros over time (${zeros.map((z) => `${(100 * z).toFixed(0)}%`).join(" → ")})`;
      return `<div class="proj" title="${title}"><span class="name">${p.name}</span><span class="bar"><i class="minus" style="width:${pct(p.minus, total)}"></i><i class="zero" style="width:${pct(p.zero, total)}"></i><i class="plus" style="width:${pct(p.plus, total)}"></i></span><span class="flip">${(100 * p.flipped).toFixed(1)}% chg</span>${sparkline(zeros)}</div>`;
    })
    .join("");
}

const buttons = { start: $<HTMLButtonElement>("start"), stop: $<HTMLButtonElement>("stop"), cont: $<HTMLButtonElement>("continue"), download: $<HTMLButtonElement>("download"), generate: $<HTMLButtonElement>("generate") };
function setRunning(running: boolean): void {
  state.running = running;
  buttons.stop.disabled = !running;
  buttons.cont.disabled = running || state.backend === null;
  buttons.start.textContent = state.backend === null ? "Train" : "Restart";
}
function showError(message: string): void {
  state.errors.push(message);
  const el = $("error");
  el.hidden = false;
  el.textContent = message;
}

// --- worker messages -----------------------------------------------------------
let downloadName = "bitnet-playground.gguf";
worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case "ready": {
      state.backend = m.backend;
      state.backendNote = m.note;
      const note = $("backend-note");
      note.textContent = `Training on ${m.note}`;
      note.className = `note ${m.backend}`;
      $("stat-params").textContent = m.parameters.toLocaleString();
      $("stat-tokens").textContent = `${m.trainTokens.toLocaleString()} + ${m.valTokens.toLocaleString()}`;
      buttons.download.disabled = false;
      setRunning(true);
      return;
    }
    case "step":
      state.step = m.step;
      state.losses.push({ step: m.step, loss: m.loss });
      $("stat-step").textContent = String(m.step);
      $("stat-loss").textContent = m.loss.toFixed(3);
      $("stat-tps").textContent = Math.round(m.tokensPerSecond).toLocaleString();
      drawChart();
      return;
    case "eval":
      state.valLosses.push({ step: m.step, loss: m.valLoss });
      state.projections = m.projections;
      state.sample = m.sample;
      $("stat-val").textContent = m.valLoss.toFixed(3);
      $("sample").textContent = m.sample;
      $("sample-step").textContent = `after ${m.step} steps`;
      drawHistogram(m.projections);
      drawChart();
      return;
    case "stopped":
      state.stoppedReason = m.reason;
      setRunning(false);
      return;
    case "exported": {
      state.exported = { size: m.bytes.length, warnings: m.warnings };
      const url = URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = downloadName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      const warned = m.warnings.length === 0 ? "" : ` ${m.warnings.length} projection(s) fell back to F16: ${m.warnings[0] ?? ""}`;
      $("export-note").textContent = `${downloadName}: ${(m.bytes.length / 1024).toFixed(1)} KiB, ${m.weightType}.${warned}`;
      return;
    }
    case "loaded":
      state.loaded = m.summary;
      $("loaded").textContent = `${m.fileName}: ${m.summary}`;
      buttons.generate.disabled = false;
      return;
    case "generated":
      state.generated = m.text;
      $("generated").textContent = m.text;
      return;
    case "error":
      showError(m.message);
      if (state.backend === null) setRunning(false);
      return;
  }
};
worker.onerror = (e) => showError(`the worker failed: ${e.message}`);

// --- controls --------------------------------------------------------------------
buttons.start.addEventListener("click", () => {
  $("error").hidden = true;
  zeroHistory.clear();
  state.losses = [];
  state.valLosses = [];
  state.backend = null;
  state.stoppedReason = "";
  $("backend-note").textContent = "Training the tokenizer and building the model…";
  $("backend-note").className = "note";
  const sizeName = isSizeName(size.value) ? size.value : "tiny";
  send({ type: "start", text: text.value, size: sizeName, backend: backend.value as BackendChoice, maxSteps: Math.max(0, Math.floor(Number(steps.value) || 0)), evalEvery, prompt: prompt.value || "one day" });
  buttons.stop.disabled = false;
  drawChart();
});
buttons.stop.addEventListener("click", () => send({ type: "stop" }));
buttons.cont.addEventListener("click", () => {
  state.stoppedReason = "";
  send({ type: "continue", maxSteps: Math.max(0, Math.floor(Number(steps.value) || 0)) });
  setRunning(true);
});
buttons.download.addEventListener("click", () => {
  const type = $<HTMLSelectElement>("gguf-type").value as GgufWeightType;
  downloadName = `bitnet-playground-${type.toLowerCase()}.gguf`;
  $("command").textContent = `llama-cli -m ${downloadName} -p ${JSON.stringify(prompt.value || "one day")} -n 32 --temp 0 -no-cnv`;
  send({ type: "export", weightType: type });
});

// --- dropping a .gguf ------------------------------------------------------------
const dropZone = $("drop-zone");
async function load(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  $("loaded").textContent = `reading ${file.name}…`;
  send({ type: "load", bytes, fileName: file.name }, [bytes.buffer]);
}
dropZone.addEventListener("dragover", (e) => {
  e.preventDefault();
  dropZone.classList.add("over");
});
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
dropZone.addEventListener("drop", (e) => {
  e.preventDefault();
  dropZone.classList.remove("over");
  const file = e.dataTransfer?.files[0];
  if (file !== undefined) load(file).catch((err: unknown) => showError(String(err)));
});
$<HTMLInputElement>("file").addEventListener("change", (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file !== undefined) load(file).catch((err: unknown) => showError(String(err)));
});
buttons.generate.addEventListener("click", () => send({ type: "generate", prompt: $<HTMLInputElement>("gen-prompt").value, maxTokens: 32, temperature: 0 }));

// --- tabs and the tour ----------------------------------------------------------
for (const tab of document.querySelectorAll<HTMLButtonElement>(".tab")) {
  tab.addEventListener("click", () => {
    for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t === tab);
    $("panel-train").hidden = tab.dataset["tab"] !== "train";
    $("panel-tour").hidden = tab.dataset["tab"] !== "tour";
  });
}
try {
  $("panel-tour").innerHTML = tourHtml();
  state.tourReady = true;
} catch (e) {
  $("panel-tour").textContent = `the tour failed to compute: ${String(e)}`;
}
if (params.get("tab") === "tour") $("tab-tour").click();
