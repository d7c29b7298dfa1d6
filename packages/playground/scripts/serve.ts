// `npm run playground`: builds the site and serves it on 127.0.0.1 (PORT, default 8080; 0 picks a free port).
import { buildSite, serveDir } from "./site.js";

const site = await buildSite();
const port = Number(process.env["PORT"] ?? "8080");
const { url } = await serveDir(site.outDir, Number.isInteger(port) ? port : 8080);
console.log(`BitNet playground (static files in ${site.outDir}):\n  ${url}\n  ${url}?backend=cpu   (force the CPU backend)\nCtrl-C to stop.`);
