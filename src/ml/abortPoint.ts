/**
 * A place where a long loop may stop: lets the worker read its queued messages, then throws if the call was
 * aborted. On the wasm backend `await tensor.data()` settles as a microtask, so a loop of them never returns to
 * the event loop and the worker would see the page's abort only after the whole job; a macrotask every 50 ms
 * lets the abort in (a cost well under 1 % of a step).
 */
const YIELD_EVERY_MS = 50;
let lastYield = 0;

export async function abortPoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  const now = performance.now();
  if (now - lastYield >= YIELD_EVERY_MS) {
    lastYield = now;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  signal.throwIfAborted();
}
