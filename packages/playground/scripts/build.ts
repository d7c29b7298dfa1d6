// `npm run build -w packages/playground`: writes the static site to dist/site (or argv[2]).
import { buildSite } from "./site.js";

const site = await buildSite(process.argv[2]);
for (const [name, bytes] of Object.entries(site.files)) console.log(`${name.padEnd(16)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
console.log(`built ${site.outDir}`);
