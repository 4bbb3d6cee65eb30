/**
 * Full-disk handling, thread-neutral: recognising the error a browser raises when a site's storage quota is
 * used up (IndexedDB aborts the transaction with a `QuotaExceededError` DOMException), and one message that
 * says what happened, how much is used of how much, what was kept and what to do. Page and workers both use
 * it; `navigator.storage.estimate()` exists in both.
 */

export function isQuotaError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; message?: unknown; inner?: unknown; cause?: unknown };
  if (e.name === 'QuotaExceededError') return true;
  if (typeof e.message === 'string' && /quota/i.test(e.message)) return true;
  return isQuotaError(e.cause) || isQuotaError(e.inner);
}

export interface StorageNumbers {
  usage?: number;
  quota?: number;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** "Storage is full (12.1 MB used of 12.3 MB allowed). <kept> <next>" */
export function storageFullMessage(estimate: StorageNumbers | null, kept: string, next: string): string {
  const numbers =
    estimate?.usage !== undefined && estimate.quota !== undefined
      ? ` (${mb(estimate.usage)} used of ${mb(estimate.quota)} this browser allows this site)`
      : '';
  return `Storage is full${numbers}. ${kept} ${next}`;
}

/** The browser's storage estimate, or null where there is none (old browsers, some test environments). */
export async function storageEstimate(): Promise<StorageNumbers | null> {
  try {
    const nav = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageNumbers> } } }).navigator;
    return (await nav?.storage?.estimate?.()) ?? null;
  } catch {
    return null;
  }
}

/** An Error carrying the full-disk message; `name` stays recognisable for isQuotaError. */
export class StorageFullError extends Error {
  override name = 'QuotaExceededError';
}
