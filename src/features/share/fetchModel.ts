/**
 * `?model=<url>`: fetches a hosted layers-format model (model.json, then the weight files its manifest names,
 * relative to it) — only after the user confirmed, only from this site (the build's CSP allows no other
 * origin, and we say so instead of letting the browser fail silently), with size caps enforced while
 * reading and a time-out. The worker then validates the files exactly as for an import from disk.
 */
import { concatBytes } from '../../shared/bytes';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, manifestPaths } from '../../shared/modelFile';

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

async function readCapped(url: URL, cap: number, signal: AbortSignal): Promise<Uint8Array> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`Could not load ${url.pathname}: HTTP ${res.status}.`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > cap) throw new Error(`${url.pathname} is ${declared} bytes; the limit is ${cap}.`);
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
      throw new Error(`${url.pathname} is larger than the limit of ${cap} bytes.`);
    }
    parts.push(value);
  }
  return concatBytes(parts);
}

export async function fetchHostedModel(url: URL, timeoutMs = MODEL_FETCH_TIMEOUT_MS): Promise<{ name: string; modelJson: string; weights: Uint8Array }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const modelJson = new TextDecoder().decode(await readCapped(url, MAX_MODEL_JSON_BYTES, controller.signal));
    const paths = manifestPaths(modelJson);
    if (!paths) return { name: url.href, modelJson, weights: new Uint8Array(0) }; // the validator reports the JSON error
    const parts: Uint8Array[] = [];
    let total = 0;
    for (const path of paths) {
      const part = await readCapped(hostedModelUrl(path, url.href), MAX_WEIGHT_BYTES - total, controller.signal);
      total += part.length;
      parts.push(part);
    }
    return { name: url.href, modelJson, weights: concatBytes(parts) };
  } catch (err) {
    if (controller.signal.aborted) throw new Error(`Loading the model took longer than ${timeoutMs / 1000} s and was stopped.`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
