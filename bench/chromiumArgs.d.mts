/** Types of bench/chromiumArgs.mjs (imported by playwright.config.ts). */
export declare const CHROMIUM_ARGS: readonly string[];
export declare const KNOWN_BROWSERS: readonly string[];
export declare function findChromium(
  env?: Record<string, string | undefined>,
  exists?: (path: string) => boolean,
): string | undefined;
export declare const CHROMIUM_PATH: string | undefined;
export declare const NO_BROWSER_HELP: string;
