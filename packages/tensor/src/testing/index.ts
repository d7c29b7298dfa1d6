// @bitnet-quantize/tensor/testing: helpers for tests of this library and of
// code built on it: tolerance checks, a vitest/jest matcher, fast-check
// arbitraries, and the backend conformance suite. Needs fast-check (a peer).
export type { CloseOptions, Mismatch } from "./allclose.js";
export { allCloseMatchers, allclose, findMismatch } from "./allclose.js";
export type { ShapeOptions, TensorArbOptions } from "./arbitraries.js";
export { broadcastPairArb, floatDataArb, shapeArb, tensorArb, tensorOfShapeArb } from "./arbitraries.js";
export { ConformanceError, conformanceCases, type ConformanceCase, type ConformanceOptions } from "./conformance.js";
