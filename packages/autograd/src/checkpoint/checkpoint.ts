// Training checkpoints in one safetensors file: a module's state dict
// (parameters and persistent buffers), its optimizer's state (moments, step
// counters, learning rate, hyperparameters) and a JSON config, so a run can
// stop and continue bit for bit. Bytes in, bytes out (browser-safe); writing
// the file is the caller's. Not the safetensors format itself.
import { type BytesLike, type SafetensorsDtype, type SafetensorsTensorInput, parseSafetensors, tensorArray, toBytes, writeSafetensors } from "@bitnet-quantize/safetensors";
import { type DType, type Tensor, tensor } from "@bitnet-quantize/tensor";
import { AutogradError } from "../errors.js";
import type { AnyModule } from "../nn/module.js";
import type { Optimizer, OptimizerStateDict, ParamOptimizerState } from "../optim/optimizer.js";

/** A JSON value (what `config` may hold). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * What {@link saveCheckpoint} stores and {@link loadCheckpoint} restores into.
 *
 * @example
 * ```ts
 * const parts: CheckpointParts = { module: model, optimizer: opt };
 * ```
 */
export interface CheckpointParts {
  readonly module: AnyModule;
  readonly optimizer?: Optimizer | undefined;
}

/**
 * {@link CheckpointParts} plus the run's configuration.
 *
 * @example
 * ```ts
 * saveCheckpoint({ module: model, optimizer: opt, config: { step: 100, data: "story.txt" } });
 * ```
 */
export interface CheckpointContents extends CheckpointParts {
  /** Anything JSON can hold: the recipe, the step, the data's name... */
  readonly config?: JsonValue | undefined;
}

/**
 * The `format` value in a checkpoint's `__metadata__`.
 *
 * @example
 * ```ts
 * parseSafetensors(bytes).metadata?.format === CHECKPOINT_FORMAT; // true for a checkpoint
 * ```
 */
export const CHECKPOINT_FORMAT = "bitnet-quantize-checkpoint/1";

const ST_DTYPE = { float32: "F32", float64: "F64", int32: "I32", int8: "I8", uint8: "U8", uint32: "U32" } as const satisfies Record<DType, SafetensorsDtype>;
const FROM_ST: Partial<Record<SafetensorsDtype, DType>> = { F32: "float32", F64: "float64", I32: "int32", I8: "int8", U8: "uint8", U32: "uint32" };

interface OptimizerMeta {
  readonly kind: string;
  readonly lr: number;
  readonly hyper: Readonly<Record<string, number>>;
  /** Per optimizer parameter: its name in the file and counters, or null before its first step. */
  readonly params: readonly ({ readonly name: string; readonly counters: Readonly<Record<string, number>>; readonly tensors: readonly string[] } | null)[];
}

/**
 * Encodes a checkpoint: tensors `model.<name>` for the module's state dict,
 * `optimizer.<param name>.<key>` for the optimizer state; `__metadata__`
 * holds `format`, `config` (JSON) and `optimizer` (JSON: kind, lr,
 * hyperparameters, counters). Tensors keep their dtype, so a reload is exact.
 *
 * @example
 * ```ts
 * const bytes = saveCheckpoint({ module: model, optimizer: opt, config: { step: 100, lr: 3e-3 } });
 * await writeFile("run.safetensors", bytes);
 * ```
 */
export function saveCheckpoint(contents: CheckpointContents): Uint8Array {
  const tensors = new Map<string, SafetensorsTensorInput>();
  for (const [name, t] of contents.module.stateDict()) tensors.set(`model.${name}`, encode(t));
  const metadata: Record<string, string> = { format: CHECKPOINT_FORMAT, config: JSON.stringify(contents.config ?? null) };
  if (contents.optimizer !== undefined) {
    const sd = contents.optimizer.stateDict();
    const names = new Map(contents.module.namedParameters().map(([n, p]) => [p, n]));
    const params = sd.params.map((s, i) => {
      if (s === null) return null;
      const name = names.get(contents.optimizer?.params[i] as never) ?? `#${i}`;
      for (const [k, t] of Object.entries(s.tensors)) tensors.set(`optimizer.${name}.${k}`, encode(t));
      return { name, counters: s.counters, tensors: Object.keys(s.tensors) };
    });
    const meta: OptimizerMeta = { kind: sd.kind, lr: sd.lr, hyper: sd.hyper, params };
    metadata.optimizer = JSON.stringify(meta);
  }
  return writeSafetensors({ tensors, metadata });
}

/**
 * The `config` of a checkpoint, without touching any module (read it first
 * to build the model the checkpoint belongs to).
 *
 * @example
 * ```ts
 * const cfg = readCheckpointConfig(bytes) as { dim: number };
 * const model = new MyModel(cfg.dim);
 * loadCheckpoint(bytes, { module: model });
 * ```
 */
export function readCheckpointConfig(bytes: BytesLike): JsonValue {
  return parseConfig(metadataOf(parseSafetensors(toBytes(bytes, "readCheckpointConfig"))));
}

/**
 * Restores a checkpoint into a module (strict: every state-dict key, no
 * extra, same shapes) and, when given, an optimizer over the same parameters;
 * returns the config. Nothing changes when anything does not match.
 *
 * @example
 * ```ts
 * const model = new MyModel();
 * const opt = new AdamW(model.parameters(), { lr: 1e-3 });
 * const { config } = loadCheckpoint(bytes, { module: model, optimizer: opt });
 * // model and opt continue exactly where the saved run stopped
 * ```
 */
export function loadCheckpoint(bytes: BytesLike, into: CheckpointParts): { readonly config: JsonValue } {
  const file = parseSafetensors(toBytes(bytes, "loadCheckpoint"));
  const meta = metadataOf(file);
  const config = parseConfig(meta);
  const state = new Map<string, Tensor>();
  for (const info of file.tensors) if (info.name.startsWith("model.")) state.set(info.name.slice("model.".length), decode(file, info.name));
  let optState: OptimizerStateDict | undefined;
  if (into.optimizer !== undefined) {
    if (meta.optimizer === undefined) throw new AutogradError("loadCheckpoint: the checkpoint has no optimizer state (it was saved without an optimizer)");
    const om = parseOptimizerMeta(meta.optimizer);
    const params: (ParamOptimizerState | null)[] = om.params.map((p) => {
      if (p === null) return null;
      const ts: Record<string, Tensor> = {};
      for (const k of p.tensors) ts[k] = decode(file, `optimizer.${p.name}.${k}`);
      return { counters: p.counters, tensors: ts };
    });
    // The names must be this module's names of this optimizer's parameters, in order.
    const names = new Map(into.module.namedParameters().map(([n, p]) => [p, n]));
    om.params.forEach((p, i) => {
      const mine = names.get(into.optimizer?.params[i] as never) ?? `#${i}`;
      if (p !== null && p.name !== mine) throw new AutogradError(`loadCheckpoint: optimizer parameter ${i} is "${p.name}" in the checkpoint, "${mine}" here`);
    });
    optState = { kind: om.kind, lr: om.lr, hyper: om.hyper, params };
  }
  // Check both before changing either: the module first (it validates without changing on error), then the optimizer.
  const before = into.module.stateDict();
  into.module.loadStateDict(state);
  if (into.optimizer !== undefined && optState !== undefined) {
    try {
      into.optimizer.loadStateDict(optState);
    } catch (e) {
      into.module.loadStateDict(before);
      throw e;
    }
  }
  return { config };
}

function encode(t: Tensor): SafetensorsTensorInput {
  const data = t.contiguous().dataSync();
  return { dtype: ST_DTYPE[t.dtype], shape: t.shape, data };
}

function decode(file: ReturnType<typeof parseSafetensors>, name: string): Tensor {
  const info = file.tensorsByName.get(name);
  if (info === undefined) throw new AutogradError(`loadCheckpoint: the checkpoint has no tensor "${name}"`);
  const dtype = FROM_ST[info.dtype];
  if (dtype === undefined) throw new AutogradError(`loadCheckpoint: tensor "${name}" has dtype ${info.dtype}, which no tensor here holds`);
  // A copy: the tensor must not alias the file's bytes.
  const values = tensorArray(file, info).slice();
  if (!(values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array || values instanceof Int8Array || values instanceof Uint8Array || values instanceof Uint32Array)) {
    throw new AutogradError(`loadCheckpoint: tensor "${name}" has no typed array here`);
  }
  return tensor(values, [...info.shape], dtype);
}

function metadataOf(file: ReturnType<typeof parseSafetensors>): Readonly<Record<string, string>> {
  const meta = file.metadata;
  if (meta?.format !== CHECKPOINT_FORMAT) {
    throw new AutogradError(`loadCheckpoint: not a checkpoint of this library (__metadata__.format is ${JSON.stringify(meta?.format)}, expected ${JSON.stringify(CHECKPOINT_FORMAT)})`);
  }
  return meta;
}

function parseConfig(meta: Readonly<Record<string, string>>): JsonValue {
  try {
    return JSON.parse(meta.config ?? "null") as JsonValue;
  } catch {
    throw new AutogradError("loadCheckpoint: __metadata__.config is not valid JSON");
  }
}

const isNumberRecord = (x: unknown): x is Record<string, number> =>
  typeof x === "object" && x !== null && !Array.isArray(x) && Object.values(x).every((v) => typeof v === "number");

/** The optimizer metadata, checked field by field (a damaged file gives an AutogradError, not a TypeError later). */
function parseOptimizerMeta(text: string): OptimizerMeta {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    throw new AutogradError("loadCheckpoint: __metadata__.optimizer is not valid JSON");
  }
  const bad = (what: string): never => {
    throw new AutogradError(`loadCheckpoint: __metadata__.optimizer ${what}`);
  };
  if (typeof x !== "object" || x === null) return bad("is not an object");
  const o = x as Record<string, unknown>;
  if (typeof o.kind !== "string") bad("has no kind");
  if (typeof o.lr !== "number") bad("has no numeric lr");
  if (!isNumberRecord(o.hyper)) bad("has no numeric hyper");
  if (!Array.isArray(o.params)) return bad("has no params array");
  o.params.forEach((p: unknown, i) => {
    if (p === null) return;
    const q = p as Record<string, unknown>;
    const ok = typeof p === "object" && typeof q.name === "string" && isNumberRecord(q.counters) && Array.isArray(q.tensors) && q.tensors.every((t) => typeof t === "string");
    if (!ok) bad(`params[${i}] is not { name, counters, tensors }`);
  });
  return o as unknown as OptimizerMeta;
}
