// TypeDoc entry points of this package: the sources of its package.json exports.
import { entryPointsFromExports } from "../../scripts/typedoc-entry-points.mjs";

export default {
  entryPoints: entryPointsFromExports(import.meta.url),
  // Named by exported types but not exported themselves (helpers of TensorData,
  // CpuBackendOptions.matmul and allclose); exporting them is the package's call.
  intentionallyNotExported: ["TensorDataNested", "MatmulKernel", "Comparable"],
};
