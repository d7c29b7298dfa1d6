// Doctest extraction: the `@example` blocks of every exported symbol of a
// package's public entry points (its package.json exports), with where they
// are. Exported means: declared by a symbol one of the entry points exports,
// or a member of such a class or interface.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** One `@example` block. */
export interface Example {
  /** Package directory name (tensor, autograd, ...). */
  readonly pkg: string;
  /** The documented symbol, `Class.member` for members. */
  readonly symbol: string;
  /** Source file relative to the repository root, and the 1-based line of the tag. */
  readonly file: string;
  readonly line: number;
  /** The example's code (fences and inline backticks removed). */
  readonly code: string;
}

/** The entry source files of a package: its exports' "@bitnet-quantize/source" paths. */
export function entrySources(root: string, pkg: string): string[] {
  const json = JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")) as { exports: Record<string, unknown> };
  return Object.entries(json.exports).flatMap(([k, v]) =>
    k !== "./package.json" && typeof v === "object" && v !== null && typeof (v as { "@bitnet-quantize/source"?: unknown })["@bitnet-quantize/source"] === "string" ? [join(root, "packages", pkg, (v as { "@bitnet-quantize/source": string })["@bitnet-quantize/source"])] : [],
  );
}

/** The code of an `@example` comment: a fenced block's content, an inline `code` span, or the text itself. */
export function exampleCode(text: string): string {
  const fenced = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (fenced.length > 0) return fenced.join("\n");
  const t = text.trim();
  const inline = /^`([^`]+)`$/.exec(t);
  return inline !== null ? inline[1] : t;
}

function nameOf(node: ts.Node): string {
  const n = (node as { name?: ts.Node }).name;
  if (n !== undefined && (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n))) return n.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  return "?";
}

/**
 * Every `@example` of the exported symbols of `pkgs` (all packages share one TypeScript program).
 *
 * @example
 * ```ts
 * extractExamples("/repo", ["tensor"]).length > 100; // true
 * ```
 */
export function extractExamples(root: string, pkgs: readonly string[]): Example[] {
  const entries = pkgs.flatMap((p) => entrySources(root, p));
  const program = ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ["@bitnet-quantize/source"],
    allowJs: false,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const exported = new Set<ts.Node>();
  for (const entry of entries) {
    const sf = program.getSourceFile(entry);
    const mod = sf === undefined ? undefined : checker.getSymbolAtLocation(sf);
    if (mod === undefined) continue;
    for (let sym of checker.getExportsOfModule(mod)) {
      if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      for (const d of sym.declarations ?? []) {
        exported.add(d);
        if (ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent)) exported.add(d.parent.parent);
      }
    }
  }
  const out: Example[] = [];
  const seen = new Set<string>();
  for (const sf of program.getSourceFiles()) {
    const rel = relative(root, sf.fileName);
    const pkg = pkgs.find((p) => rel.startsWith(`packages/${p}/src/`));
    if (pkg === undefined) continue;
    const visit = (node: ts.Node): void => {
      const parent = node.parent;
      const isExported = exported.has(node) || (parent !== undefined && exported.has(parent) && (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)));
      if (isExported) {
        for (const tag of ts.getJSDocTags(node)) {
          if (tag.tagName.text !== "example") continue;
          const text = ts.getTextOfJSDocComment(tag.comment) ?? "";
          const line = sf.getLineAndCharacterOfPosition(tag.getStart(sf)).line + 1;
          const key = `${rel}:${line}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const owner = parent !== undefined && (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) ? `${nameOf(parent)}.` : "";
          const name = ts.isVariableStatement(node) ? node.declarationList.declarations.map(nameOf).join(", ") : nameOf(node);
          out.push({ pkg, symbol: `${owner}${name}`, file: rel, line, code: exampleCode(text) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}
