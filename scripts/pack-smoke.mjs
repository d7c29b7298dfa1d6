#!/usr/bin/env node
// The packages as a user gets them: a clean build, `npm pack` of every
// published package, an offline install of the tarballs into a temporary
// folder outside the workspace, then checks there:
//   - each tarball holds LICENSE, README.md, every file its exports and bin
//     name, and no build info;
//   - smoke.mjs in Node: imports every entry, trains a BitLinear, exports a
//     GGUF and parses it back (also under `--conditions=source`, the common
//     monorepo condition that must not reach our published sources);
//   - each browser-safe entry bundles with esbuild for platform "browser",
//     and each Node-only entry is refused there;
//   - the .d.ts files type-check under lib ["ES2022", "DOM"] (browser entries)
//     and under lib ["ES2022"] with Node's types (every entry but
//     backend-webgpu's, whose types need DOM and @webgpu/types);
//   - two copies of autograd (one nested under bitnet): a compatible copy
//     works with the app's own, an incompatible one fails naming both versions.
// Usage: node scripts/pack-smoke.mjs [--keep] [--no-build]. Needs no network:
// the only third-party tarballs (fast-check, pure-rand for the testing
// entries) are packed from this workspace's node_modules.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TEMPLATES = join(ROOT, "scripts", "pack-smoke");
const keep = process.argv.includes("--keep");
const build = !process.argv.includes("--no-build");
const started = Date.now();

function step(message) {
  console.log(`== pack-smoke [${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.capture ? "pipe" : "inherit", encoding: "utf8", cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env } });
  if (r.status !== 0 && !opts.allowFailure) {
    if (opts.capture) process.stderr.write(`${r.stdout}\n${r.stderr}\n`);
    throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
  }
  return r;
}

function fail(message) {
  throw new Error(`pack-smoke: ${message}`);
}

// ---- the published packages: root workspaces under packages/ that are not private
const rootPkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const packages = rootPkg.workspaces
  .filter((w) => w.startsWith("packages/"))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")) }))
  .filter(({ pkg }) => pkg.private !== true);

/** Every entry: its specifier, whether it is Node-only (no "default" target), whether it needs fast-check or WebGPU types. */
const entries = packages.flatMap(({ pkg }) =>
  Object.entries(pkg.exports)
    .filter(([sub, target]) => sub !== "./package.json" && typeof target === "object")
    .map(([sub, target]) => ({
      spec: sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`,
      nodeOnly: !("default" in target),
      webgpu: pkg.name.endsWith("/backend-webgpu"),
      targets: Object.entries(target).filter(([cond]) => cond !== "@bitnet-quantize/source").map(([, t]) => t),
    })),
);

const tmp = mkdtempSync(join(tmpdir(), "bitnet-quantize-pack-"));
let ok = false;
try {
  // ---- build from clean: a stale file in dist/ would otherwise ship
  if (build) {
    step("clean build (tsc -b)");
    for (const { dir } of packages) rmSync(join(ROOT, dir, "dist"), { recursive: true, force: true });
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-b", ...packages.map(({ dir }) => dir)]);
  }

  // ---- pack
  step(`npm pack ${packages.map(({ pkg }) => pkg.name).join(", ")}`);
  const tarballs = join(tmp, "tarballs");
  mkdirSync(tarballs);
  const packed = JSON.parse(
    run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tarballs, ...packages.flatMap(({ dir }) => ["-w", dir])], { capture: true }).stdout,
  );
  for (const p of packed) {
    const files = new Set(p.files.map((f) => f.path));
    const { pkg } = packages.find(({ pkg }) => pkg.name === p.name);
    for (const required of ["LICENSE", "README.md", "package.json"]) if (!files.has(required)) fail(`${p.name}: the tarball has no ${required}`);
    for (const f of files) if (f.endsWith(".tsbuildinfo") || f.startsWith("test/")) fail(`${p.name}: the tarball ships ${f}`);
    for (const e of entries.filter((e) => e.spec === pkg.name || e.spec.startsWith(`${pkg.name}/`))) {
      for (const t of e.targets) if (!files.has(t.replace(/^\.\//, ""))) fail(`${p.name}: exports ${e.spec} -> ${t}, which is not in the tarball`);
    }
    for (const t of Object.values(pkg.bin ?? {})) if (!files.has(t.replace(/^\.\//, ""))) fail(`${p.name}: bin ${t} is not in the tarball`);
    if (p.version !== rootPkg.version) fail(`${p.name} is ${p.version}, the workspace is ${rootPkg.version}`);
  }
  // The optional peer of the testing entries and its dependency, packed from this workspace (no registry).
  const thirdParty = {};
  for (const dep of ["fast-check", "pure-rand"]) {
    const [p] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tarballs, join(ROOT, "node_modules", dep)], { capture: true }).stdout);
    thirdParty[dep] = `file:../tarballs/${p.filename}`;
  }

  // ---- install offline into a folder outside the workspace
  step("npm install --offline (the tarballs only)");
  const app = join(tmp, "app");
  mkdirSync(app);
  const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:../tarballs/${p.filename}`]));
  dependencies["fast-check"] = thirdParty["fast-check"];
  const overrides = { "pure-rand": thirdParty["pure-rand"] };
  writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "pack-smoke-app", private: true, type: "module", dependencies, overrides }, null, 2)}\n`);
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--strict-allow-scripts", "--loglevel=error"], { cwd: app });
  writeFileSync(join(app, "entries.json"), `${JSON.stringify({ all: entries.map((e) => e.spec) }, null, 2)}\n`);
  for (const f of ["smoke.mjs", "two-copies.mjs"]) cpSync(join(TEMPLATES, f), join(app, f));

  // ---- Node
  step("node smoke.mjs");
  run(process.execPath, ["smoke.mjs"], { cwd: app });
  step("node --conditions=source smoke.mjs (a consumer's own condition must not reach our sources)");
  run(process.execPath, ["--conditions=source", "smoke.mjs"], { cwd: app });

  // ---- esbuild for the browser
  step("esbuild --platform=browser, every entry");
  const esbuild = await import(join(ROOT, "node_modules", "esbuild", "lib", "main.js"));
  const bundle = (spec) =>
    esbuild.build({
      stdin: { contents: `export * from ${JSON.stringify(spec)};`, resolveDir: app, loader: "js" },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      metafile: true,
    });
  let browserBytes = 0;
  for (const e of entries) {
    let result, error;
    try {
      result = await bundle(e.spec);
    } catch (err) {
      error = err;
    }
    if (e.nodeOnly) {
      if (error === undefined) fail(`${e.spec} is Node-only but bundled for the browser`);
      continue;
    }
    if (error !== undefined) fail(`${e.spec} does not bundle for the browser:\n${error.message}`);
    const nodeInputs = Object.keys(result.metafile.inputs).filter((i) => i.startsWith("node:"));
    if (nodeInputs.length > 0) fail(`${e.spec} pulls Node built-ins into the browser bundle: ${nodeInputs.join(", ")}`);
    browserBytes += result.outputFiles[0].contents.length;
  }
  console.log(`   ${entries.filter((e) => !e.nodeOnly).length} browser entries bundled (${(browserBytes / 1024).toFixed(0)} KiB in all, unminified); ${entries.filter((e) => e.nodeOnly).map((e) => e.spec).join(", ")} refused as Node-only`);

  // ---- TypeScript: the published .d.ts under a browser lib and under Node's types alone
  step("tsc on the published .d.ts: lib ES2022 + DOM; lib ES2022 + @types/node");
  const importAll = (list) => `${list.map((e, i) => `import * as e${i} from ${JSON.stringify(e.spec)};`).join("\n")}\nexport const all = [${list.map((_, i) => `e${i}`).join(", ")}];\n`;
  const webgpuTypes = join(ROOT, "node_modules", "@webgpu", "types", "dist", "index.d.ts");
  writeFileSync(join(app, "check-browser.ts"), `/// <reference path=${JSON.stringify(webgpuTypes)} />\n${importAll(entries.filter((e) => !e.nodeOnly))}`);
  // backend-webgpu's types need DOM and @webgpu/types (WebGPU is a browser API; Node runs it through Dawn, typed the same way).
  writeFileSync(join(app, "check-node.ts"), importAll(entries.filter((e) => !e.webgpu)));
  const base = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false };
  const configs = {
    "tsconfig.browser.json": { compilerOptions: { ...base, lib: ["ES2022", "DOM"], types: [] }, files: ["check-browser.ts"] },
    "tsconfig.node.json": { compilerOptions: { ...base, lib: ["ES2022"], types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] }, files: ["check-node.ts"] },
  };
  for (const [name, config] of Object.entries(configs)) {
    writeFileSync(join(app, name), JSON.stringify(config, null, 2));
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", name], { cwd: app });
  }

  // ---- two copies of autograd: nest one under bitnet, as npm does when versions diverge
  const top = join(app, "node_modules", "@bitnet-quantize", "autograd");
  const nested = join(app, "node_modules", "@bitnet-quantize", "bitnet", "node_modules", "@bitnet-quantize", "autograd");
  const version = rootPkg.version;
  const [major, minor, patch] = version.split(".").map(Number);
  const nestCopy = (v) => {
    rmSync(nested, { recursive: true, force: true });
    cpSync(top, nested, { recursive: true });
    const pj = JSON.parse(readFileSync(join(nested, "package.json"), "utf8"));
    writeFileSync(join(nested, "package.json"), JSON.stringify({ ...pj, version: v }, null, 2));
    const versionJs = join(nested, "dist", "version.js");
    const src = readFileSync(versionJs, "utf8");
    const line = `export const VERSION = "${version}";`;
    if (!src.includes(line)) fail(`${relative(app, versionJs)} does not hold ${line}`);
    writeFileSync(versionJs, src.replace(line, `export const VERSION = "${v}";`));
  };
  const compatible = `${major}.${minor}.${patch + 1}`;
  const incompatible = major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  step(`two copies of autograd: ${version} at the top, ${compatible} nested under bitnet`);
  nestCopy(compatible);
  run(process.execPath, ["two-copies.mjs", "compatible"], { cwd: app });
  step(`two copies of autograd: ${version} at the top, ${incompatible} nested under bitnet`);
  nestCopy(incompatible);
  run(process.execPath, ["two-copies.mjs", "incompatible"], { cwd: app });

  ok = true;
  step(`passed${keep ? ` (kept ${tmp})` : ""}`);
} finally {
  if (ok && !keep) rmSync(tmp, { recursive: true, force: true });
  else if (!ok) console.error(`pack-smoke: FAILED; the folder is kept for a look: ${tmp}`);
}
