// TypeDoc entry points of this package: the sources of its package.json exports.
import { entryPointsFromExports } from "../../scripts/typedoc-entry-points.mjs";

export default {
  entryPoints: entryPointsFromExports(import.meta.url),
  // What some ops save for their backward: part of the exported Op types, not an API.
  intentionallyNotExported: ["ClampSaved", "LinearSaved", "NarrowSaved", "PowSaved", "SliceSaved", "VarianceSaved"],
};
