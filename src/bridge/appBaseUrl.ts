/** Absolute URL of the app's base (works under any sub-path); workers use it to find self-hosted assets. */
export function appBaseUrl(): string {
  return new URL(import.meta.env.BASE_URL, document.baseURI).href;
}
