/**
 * Places where a long loop lets the worker read its queued messages (abort, pause, stop). On the wasm backend
 * `await tensor.data()` settles as a microtask, so a loop of them never returns to the event loop and the worker
 * would see the page's message only after the whole job; a macrotask every 50 ms lets it in (a cost well under
 * 1 % of a step).
 */
const YIELD_EVERY_MS = 50;
let lastYield = 0;

/** Returns to the event loop (so queued messages are handled) if the last return was 50 ms ago or more. */
export async function yieldToMessages(): Promise<void> {
  const now = performance.now();
  if (now - lastYield < YIELD_EVERY_MS) return;
  lastYield = now;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** A place where a long loop may stop: lets queued messages in, then throws if the call was aborted. */
export async function abortPoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await yieldToMessages();
  signal.throwIfAborted();
}
