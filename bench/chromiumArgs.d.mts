/** Types of bench/chromiumArgs.mjs (imported by playwright.config.ts). */
export declare const CHROMIUM_ARGS: readonly string[];
export declare const CHROMIUM_PATH: string;
