// TypeDoc entry points of this package: the sources of its package.json exports.
import { entryPointsFromExports } from "../../scripts/typedoc-entry-points.mjs";

export default { entryPoints: entryPointsFromExports(import.meta.url) };
