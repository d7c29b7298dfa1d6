/** The `@bitnet-quantize/source` paths of a package's exports, relative to the package (see typedoc-entry-points.mjs). */
export function entryPointsFromExports(configUrl: string): string[];
