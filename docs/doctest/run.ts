// Doctest execution: turns an example into an async function whose free
// names are the packages' exports, whose asserting comments (expected.ts)
// became checks, and runs it. An example that uses a name nothing defines
// (`model`, `x`: context the reader supplies) is reported as needing
// context, not run to a verdict.
import ts from "typescript";
import type { Example } from "./extract.js";
import { mismatch, parseExpected } from "./expected.js";
import { fixturesFor } from "./fixtures.js";
import { NoGpuError } from "./gpu.js";

/** The outcome of one example. */
export type Outcome =
  | { readonly status: "passed"; readonly checks: number }
  | { readonly status: "failed"; readonly error: string }
  | { readonly status: "context"; readonly reason: string };

/** An example as JavaScript, with what it declares and how many checks it holds. */
export interface Prepared {
  readonly js: string;
  readonly declared: ReadonlySet<string>;
  readonly checks: number;
  /** Module specifiers the example imports that are not ours (it then needs context). */
  readonly foreignImports: string[];
}

const OURS = /^@bitnet-quantize\//;

/**
 * Rewrites an example: imports of our packages become destructuring from
 * `__modules`, `expr; // literal` becomes `await __check(...)`.
 *
 * @example
 * ```ts
 * prepare("add(1, 2); // 3").checks; // 1
 * ```
 */
export function prepare(code: string): Prepared {
  const sf = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declared = new Set<string>();
  const foreignImports: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  let checks = 0;
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) declared.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const spec = (st.moduleSpecifier as ts.StringLiteral).text;
      if (!OURS.test(spec)) foreignImports.push(spec);
      const clause = st.importClause;
      let text = "";
      if (clause !== undefined && !clause.isTypeOnly) {
        const parts: string[] = [];
        if (clause.namedBindings !== undefined && ts.isNamespaceImport(clause.namedBindings)) {
          declared.add(clause.namedBindings.name.text);
          text = `const ${clause.namedBindings.name.text} = __modules[${JSON.stringify(spec)}];`;
        } else if (clause.namedBindings !== undefined) {
          for (const el of clause.namedBindings.elements) {
            if (el.isTypeOnly) continue;
            declared.add(el.name.text);
            parts.push(el.propertyName === undefined ? el.name.text : `${el.propertyName.text}: ${el.name.text}`);
          }
          if (parts.length > 0) text = `const { ${parts.join(", ")} } = __modules[${JSON.stringify(spec)}] ?? {};`;
        }
      }
      edits.push({ start: st.getStart(sf), end: st.getEnd(), text });
      continue;
    }
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name);
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name !== undefined) declared.add(st.name.text);
    const trailing = ts.getTrailingCommentRanges(code, st.getEnd()) ?? [];
    const first = trailing[0];
    if (first === undefined || first.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
    const expected = parseExpected(code.slice(first.pos + 2, first.end));
    if (expected === null) continue;
    const line = sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1;
    const exp = JSON.stringify(expected.kind === "value" ? { kind: "value", text: expected.text } : expected);
    if (ts.isExpressionStatement(st)) {
      checks++;
      edits.push({ start: st.getStart(sf), end: st.getEnd(), text: `await __check(async () => (${st.expression.getText(sf)}), ${exp}, ${line});` });
    } else if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1 && expected.kind === "value") {
      const d = st.declarationList.declarations[0];
      if (ts.isIdentifier(d.name)) {
        checks++;
        edits.push({ start: st.getEnd(), end: st.getEnd(), text: ` await __check(async () => ${d.name.text}, ${exp}, ${line});` });
      }
    }
  }
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const js = ts.transpileModule(`${out}\nexport {};\n`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false } }).outputText.replace(/^export \{\};\s*$/m, "");
  return { js, declared, checks, foreignImports };
}

/** A check that failed (an assertion, not an error of the example). */
class DoctestMismatch extends Error {
  override readonly name = "DoctestMismatch";
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(["default", "arguments", "eval", "await", "yield", "let", "static", "implements", "interface", "package", "private", "protected", "public", "enum"]);
const AsyncFunction = (Object.getPrototypeOf(async function () {}) as { constructor: unknown }).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;

/**
 * Runs one example with `scope` (name -> value, the packages' exports) and
 * `modules` (specifier -> namespace) available.
 *
 * @example
 * ```ts
 * (await runExample(example, scope, modules)).status; // "passed"
 * ```
 */
export async function runExample(example: Example, scope: ReadonlyMap<string, unknown>, modules: Readonly<Record<string, unknown>>): Promise<Outcome> {
  let p: Prepared;
  try {
    p = prepare(example.code);
  } catch (e) {
    return { status: "failed", error: `could not prepare: ${String(e)}` };
  }
  // Modules that are not ours run when the runner provides them (`webgpu`, `vitest`, `node:fs`).
  const missing = p.foreignImports.filter((m) => !Object.hasOwn(modules, m));
  if (missing.length > 0) return { status: "context", reason: `imports ${missing.join(", ")}` };
  let fixtures: Map<string, unknown>;
  try {
    fixtures = fixturesFor(example, p.declared);
  } catch (e) {
    if (e instanceof NoGpuError) return { status: "context", reason: `needs a WebGPU device: ${e.message}` };
    return { status: "failed", error: `a fixture failed to build: ${String(e)}` };
  }
  const values = new Map([...scope].filter(([n]) => !fixtures.has(n)));
  for (const [n, v] of fixtures) values.set(n, v);
  const names = [...values.keys()].filter((n) => IDENT.test(n) && !RESERVED.has(n) && !p.declared.has(n));
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined };
  let checks = 0;
  const check = async (fn: () => Promise<unknown>, expected: { kind: "value"; text: string } | { kind: "throws"; name: string; message?: string }, line: number): Promise<void> => {
    if (expected.kind === "throws") {
      try {
        await fn();
      } catch (e) {
        const err = e as Error;
        // A name the example does not define: context, not a verdict on the example.
        if (err instanceof ReferenceError && expected.name !== "ReferenceError") throw err;
        if (err.name !== expected.name && !(err.constructor?.name === expected.name)) throw new DoctestMismatch(`line ${line}: expected ${expected.name}, got ${err.name}: ${err.message}`);
        if (expected.message !== undefined && !err.message.includes(expected.message.replace(/\s*\(.*$/, ""))) throw new DoctestMismatch(`line ${line}: expected the message to include ${JSON.stringify(expected.message)}, got ${JSON.stringify(err.message)}`);
        checks++;
        return;
      }
      throw new DoctestMismatch(`line ${line}: expected it to throw ${expected.name}`);
    }
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- evaluating the value written in an example's comment is the point
    const value = new Function(`"use strict"; return (${expected.text});`)() as unknown;
    const actual = await fn();
    const m = mismatch(actual, value);
    if (m !== null) throw new DoctestMismatch(`line ${line}: ${m}`);
    checks++;
  };
  // The library's own warnings (console.warn by default) are not the example's output.
  const saved = { log: console.log, warn: console.warn, info: console.info };
  Object.assign(console, { log: quiet.log, warn: quiet.warn, info: quiet.info });
  try {
    const fn = new AsyncFunction(...names, "__check", "__modules", "console", p.js);
    await fn(...names.map((n) => values.get(n)), check, modules, quiet);
  } catch (e) {
    const err = e as Error;
    if (err instanceof DoctestMismatch) return { status: "failed", error: err.message };
    const undef = err instanceof ReferenceError ? /^(\S+) is not defined/.exec(err.message) : null;
    if (undef !== null && !values.has(undef[1])) return { status: "context", reason: `needs ${undef[1]}` };
    if ((err as { code?: string }).code === "ENOENT") return { status: "context", reason: `needs a file: ${err.message}` };
    // A checkpoint folder the example names but the reader has (bitnet/hf/node's readers say which file is missing).
    if (err.name === "HfCheckpointError" && /: no config\.json$/.test(err.message)) return { status: "context", reason: `needs a checkpoint folder: ${err.message}` };
    // Data files the example expects installed (the cli's Fashion-MNIST loader says which are missing).
    if (err.name === "DataMissingError") return { status: "context", reason: `needs data files: ${err.message.split("\n")[0]}` };
    return { status: "failed", error: `${err.name}: ${err.message}` };
  } finally {
    Object.assign(console, saved);
  }
  return { status: "passed", checks };
}
