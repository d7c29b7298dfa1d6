// The training worker: owns the TrainSession, trains step by step (yielding
// to its event loop between steps so "stop" is heard at once), reports every
// step, and every `evalEvery` steps the validation loss, the ternary
// distribution and a sample. Also exports GGUF bytes and runs a dropped GGUF.
import { type BitNetModel, type SpmTokenizer } from "@bitnet-quantize/bitnet";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { type Backend, defaultCpuBackend } from "@bitnet-quantize/tensor";
import { createWebGPUBackend } from "@bitnet-quantize/backend-webgpu";
import type { BackendChoice, FromWorker, ToWorker } from "./protocol.js";
import { TrainSession, generateText } from "./session.js";
import { SIZES } from "./sizes.js";

// The DOM lib types globalThis as a Window; a worker's postMessage takes the
// same { transfer } options, so the Window signature serves.
const post = (m: FromWorker, transfer: Transferable[] = []): void => globalThis.postMessage(m, { transfer });
const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

let session: TrainSession | undefined;
let loaded: { model: BitNetModel; tokenizer: SpmTokenizer } | undefined;
let running = false;
let target = 0;
let evalEvery = 25;
let prompt = "one day";
let trainSeconds = 0;
let trainedSteps = 0;
/** The running (or last) training loop: a new one starts only after it ends. */
let loop: Promise<void> = Promise.resolve();

/** A WebGPU backend, or the CPU and why not. */
async function pickBackend(choice: BackendChoice): Promise<{ backend: Backend; name: "webgpu" | "cpu"; adapter: string; note: string }> {
  const cpu = { backend: defaultCpuBackend() as Backend, name: "cpu" as const, adapter: "JavaScript on the CPU" };
  if (choice === "cpu") return { ...cpu, note: "CPU backend (forced by ?backend=cpu)" };
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu === undefined) return { ...cpu, note: "CPU backend: this browser has no WebGPU (navigator.gpu is missing)" };
  try {
    const backend = await createWebGPUBackend({ gpu });
    return { backend, name: "webgpu", adapter: backend.info.adapter, note: `WebGPU (${backend.info.adapter})` };
  } catch (e) {
    return { ...cpu, note: `CPU backend: WebGPU gave no device (${message(e)})` };
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function evaluate(s: TrainSession): Promise<void> {
  const valLoss = await s.validationLoss();
  await s.sync();
  post({ type: "eval", step: s.steps, valLoss, projections: s.distribution(), sample: s.sample(prompt, 32, s.steps) });
}

/** Starts training after the current loop (if any) has ended. */
function train(): Promise<void> {
  loop = loop.then(runLoop);
  return loop;
}

async function runLoop(): Promise<void> {
  const s = session;
  if (s === undefined) return;
  running = true;
  let reason = "stopped";
  try {
    while (running) {
      if (target > 0 && s.steps >= target) {
        reason = `reached ${target} steps`;
        break;
      }
      const t0 = performance.now();
      const loss = await s.step();
      trainSeconds += (performance.now() - t0) / 1000;
      trainedSteps++;
      post({ type: "step", step: s.steps, loss, tokensPerSecond: (trainedSteps * s.tokensPerStep) / trainSeconds });
      if (s.steps % evalEvery === 0) await evaluate(s);
      await tick();
    }
    if (s.steps % evalEvery !== 0) await evaluate(s);
  } catch (e) {
    reason = `error: ${message(e)}`;
    post({ type: "error", message: message(e) });
  } finally {
    running = false;
  }
  post({ type: "stopped", step: s.steps, reason });
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case "start": {
      running = false;
      await loop;
      const picked = await pickBackend(m.backend);
      session = await TrainSession.create({ text: m.text, size: SIZES[m.size] }, picked.backend);
      target = m.maxSteps;
      evalEvery = Math.max(1, m.evalEvery);
      prompt = m.prompt;
      trainSeconds = 0;
      trainedSteps = 0;
      const s = session;
      post({ type: "ready", backend: picked.name, adapter: picked.adapter, note: picked.note, parameters: s.parameterCount, vocab: s.tokenizer.vocabSize, trainTokens: s.trainIds.length, valTokens: s.valIds.length });
      await evaluate(s);
      await train();
      return;
    }
    case "stop":
      running = false;
      return;
    case "continue":
      if (session === undefined || running) return;
      target = m.maxSteps > 0 ? session.steps + m.maxSteps : 0;
      await train();
      return;
    case "export": {
      if (session === undefined) throw new Error("train a model first");
      await session.sync();
      const { bytes, warnings } = session.encode(m.weightType);
      post({ type: "exported", bytes, warnings, weightType: m.weightType }, [bytes.buffer]);
      return;
    }
    case "load": {
      const { model, tokenizer, file } = importGguf(m.bytes);
      loaded = { model, tokenizer };
      const c = model.config;
      const name = file.metadata.get("general.name");
      post({
        type: "loaded",
        fileName: m.fileName,
        summary: `${name?.type === "string" ? name.value : "unnamed"}: dim ${c.dim}, ${c.layers} layers, ${c.heads} heads, vocabulary ${c.vocabSize}, context ${c.contextLength}, ${file.tensors.length} tensors`,
      });
      return;
    }
    case "generate": {
      if (loaded === undefined) throw new Error("drop a .gguf file first");
      post({ type: "generated", text: generateText(loaded.model, loaded.tokenizer, m.prompt, { maxTokens: m.maxTokens, seed: 1, temperature: m.temperature }) });
      return;
    }
  }
}

globalThis.onmessage = (e: MessageEvent<ToWorker>) => {
  handle(e.data).catch((err: unknown) => post({ type: "error", message: message(err) }));
};
