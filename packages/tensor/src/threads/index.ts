// @bitnet-quantize/tensor/threads: opt-in worker threads for the CPU
// backend's float matmul and packed ternary matmul (Node only; the main
// entry never imports this).
export type { MatmulPool, MatmulPoolOptions } from "./matmul-pool.js";
export { createMatmulPool } from "./matmul-pool.js";
export type { TernaryPool, TernaryPoolOptions } from "./ternary-pool.js";
export { createTernaryPool } from "./ternary-pool.js";
