/**
 * Nothing leaves the device, inside workers too. A page's CSP `<meta>` does not apply to its workers (they
 * take their policy from their own response headers, and a static host sends none), so each worker calls
 * `sameOriginOnly(self)` first: `fetch`, `XMLHttpRequest`, `WebSocket`, `EventSource` and `importScripts` to
 * another origin then throw instead of sending. Thread-neutral (no DOM types beyond what workers have).
 */

interface WorkerLike {
  location: { href: string; origin: string };
  fetch: typeof fetch;
  XMLHttpRequest?: { prototype: { open: (...args: never[]) => void } };
  WebSocket?: unknown;
  EventSource?: unknown;
  importScripts?: (...urls: string[]) => void;
}

const LOCAL_SCHEMES = new Set(['blob:', 'data:']);

/** Whether `url` (relative to the worker's own URL) is on the worker's origin or local (blob:, data:). */
export function isSameOrigin(url: string | URL, base: { href: string; origin: string }): boolean {
  const u = new URL(String(url), base.href);
  return LOCAL_SCHEMES.has(u.protocol) || u.origin === base.origin;
}

function refuse(url: string | URL): never {
  throw new TypeError(`Blocked: ${String(url)} is not on this app's origin (nothing leaves this device).`);
}

export function sameOriginOnly(scope: WorkerLike): void {
  const base = scope.location;
  const originalFetch = scope.fetch.bind(scope);
  scope.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' || input instanceof URL ? input : input.url;
    if (!isSameOrigin(url, base))
      return Promise.reject(new TypeError(`Blocked: ${String(url)} is not on this app's origin.`));
    return originalFetch(input, init);
  }) as typeof fetch;
  const xhr = scope.XMLHttpRequest?.prototype;
  if (xhr) {
    const open = xhr.open;
    xhr.open = function (this: unknown, ...args: unknown[]) {
      if (!isSameOrigin(args[1] as string, base)) refuse(args[1] as string);
      return (open as (...a: unknown[]) => void).apply(this, args);
    } as never;
  }
  for (const name of ['WebSocket', 'EventSource'] as const) {
    if (scope[name])
      (scope as unknown as Record<string, unknown>)[name] = function blocked(url: string) {
        refuse(url);
      };
  }
  const importScripts = scope.importScripts?.bind(scope);
  if (importScripts) {
    scope.importScripts = (...urls: string[]) => {
      for (const u of urls) if (!isSameOrigin(u, base)) refuse(u);
      importScripts(...urls);
    };
  }
}
