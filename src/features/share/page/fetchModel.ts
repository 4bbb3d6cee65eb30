/**
 * `?model=<url>`: fetches a hosted layers-format model (model.json, then the weight files its manifest names,
 * relative to it) — only after the user confirmed, only from this site (the build's CSP allows no other
 * origin, and we say so instead of letting the browser fail silently), with size caps enforced while
 * reading and a time-out. The worker then validates the files exactly as for an import from disk.
 */
import { concatBytes } from '../../../shared/bytes';
import { describeBytes } from '../../../shared/jsonLimits';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, declaredWeightBytes, manifestPaths } from '../../../shared/modelFile';

export const MODEL_FETCH_TIMEOUT_MS = 30_000;

/** Resolves the parameter against the page; refuses other origins with a message that says why. */
export function hostedModelUrl(param: string, page: string = location.href): URL {
  let url: URL;
  try {
    url = new URL(param, page);
  } catch {
    throw new Error(`“${param}” is not a URL.`);
  }
  if (url.origin !== new URL(page).origin) {
    throw new Error(
      `This app only loads models from its own site (${new URL(page).origin}); ${url.origin} is blocked by its security policy, which keeps everything on your device. Download the model and import the files instead.`,
    );
  }
  return url;
}

/** Bytes a weights file may exceed what model.json declares. */
const WEIGHT_MARGIN_BYTES = 1024;

/** The bytes at `url`, refused as soon as they pass `cap` (`manifestBytes`: what model.json declared, for the message). */
async function readCapped(
  url: URL,
  cap: number,
  signal: AbortSignal,
  manifestBytes: number | null = null,
): Promise<Uint8Array> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`Could not load ${url.pathname}: HTTP ${res.status}.`);
  const why =
    manifestBytes === null
      ? 'the size limit for this file'
      : `model.json declares ${describeBytes(manifestBytes)} of weights`;
  const length = Number(res.headers.get('content-length'));
  if (length > cap)
    throw new Error(
      `${url.pathname} is ${describeBytes(length)}; the largest we accept is ${describeBytes(cap)} (${why}).`,
    );
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      throw new Error(
        `${url.pathname} is larger than ${describeBytes(cap)}, the most we accept (${why}); stopped reading.`,
      );
    }
    parts.push(value);
  }
  return concatBytes(parts);
}

export async function fetchHostedModel(
  url: URL,
  timeoutMs = MODEL_FETCH_TIMEOUT_MS,
): Promise<{ name: string; modelJson: string; weights: Uint8Array }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const modelJson = new TextDecoder().decode(await readCapped(url, MAX_MODEL_JSON_BYTES, controller.signal));
    const paths = manifestPaths(modelJson);
    if (!paths) return { name: url.href, modelJson, weights: new Uint8Array(0) }; // the validator reports the JSON error
    // Stop at what the manifest declares (plus a margin for a sloppy writer), not at the 400 MB ceiling: a server
    // streaming 399 MB for a 0.5 MB model was downloaded whole before the mismatch was noticed.
    const declared = declaredWeightBytes(modelJson);
    const cap = declared === null ? MAX_WEIGHT_BYTES : Math.min(MAX_WEIGHT_BYTES, declared + WEIGHT_MARGIN_BYTES);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (const path of paths) {
      const part = await readCapped(hostedModelUrl(path, url.href), cap - total, controller.signal, declared);
      total += part.length;
      parts.push(part);
    }
    return { name: url.href, modelJson, weights: concatBytes(parts) };
  } catch (err) {
    if (controller.signal.aborted)
      throw new Error(`Loading the model took longer than ${timeoutMs / 1000} s and was stopped.`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
