// What a doctest sees: every export of every public subpath of the packages,
// the documented package's own first, by name; and the module namespaces by
// specifier (for examples that import).
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The packages whose examples run, in dependency order. */
export const DOCTEST_PACKAGES = ["tensor", "autograd", "gguf", "safetensors", "bitnet", "backend-webgpu", "cli"] as const;

/** The import specifiers of a package's public subpaths (`@bitnet-quantize/bitnet`, `@bitnet-quantize/bitnet/gguf`, ...). */
export function subpathSpecifiers(root: string, pkg: string): string[] {
  const json = JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")) as { name: string; exports: Record<string, unknown> };
  return Object.keys(json.exports)
    .filter((k) => k !== "./package.json")
    .map((k) => (k === "." ? json.name : `${json.name}/${k.slice(2)}`));
}

/**
 * The scope for `pkg`'s examples: name -> value (own package first, then the
 * others in {@link DOCTEST_PACKAGES} order) and specifier -> namespace.
 *
 * @example
 * ```ts
 * const { scope } = await doctestScope("/repo", "tensor");
 * scope.has("tensor"); // true
 * ```
 */
export async function doctestScope(root: string, pkg: string): Promise<{ scope: Map<string, unknown>; modules: Record<string, unknown> }> {
  const scope = new Map<string, unknown>();
  const modules: Record<string, unknown> = {};
  for (const p of [pkg, ...DOCTEST_PACKAGES.filter((q) => q !== pkg)]) {
    for (const spec of subpathSpecifiers(root, p)) {
      const ns = (await import(spec)) as Record<string, unknown>;
      modules[spec] = ns;
      for (const [k, v] of Object.entries(ns)) if (!scope.has(k)) scope.set(k, v);
    }
  }
  return { scope, modules };
}
