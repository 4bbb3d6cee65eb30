/**
 * The TensorFlow.js backends the lab can run on, in the order it tries them when nothing picks one. Its own
 * module so that the protocol and the backend-choice rules can both name them without importing each other.
 */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
