/** Types for patch-face-model.mjs (imported by vite.config.ts). */
export declare const FACE_MODEL_SOURCE: string;
export declare const FACE_MODEL_TARGET: string;
export declare function buildFaceMetadata(outputCount: number): Uint8Array;
export declare function addMetadata(model: Uint8Array): Uint8Array;
export declare function patchFaceModel(target?: string, source?: string): number;
