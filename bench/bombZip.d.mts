/** Types of bench/bombZip.mjs (imported by e2e/zip-bomb.spec.ts). */
export declare const BOMB_SIDE: number;
export declare function bombPng(): Uint8Array;
export declare function cropPng(seed: number): Uint8Array;
export declare function datasetZip(options: { crops: number; bombs?: number; name?: string; firstBomb?: number }): {
  zip: Uint8Array;
  bombIndices: number[];
  /** Every image's path in the zip, in dataset order. */
  files: string[];
};
