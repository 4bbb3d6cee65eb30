// Vitest setup: an in-memory IndexedDB so the storage layer runs in Node exactly as in the browser.
import 'fake-indexeddb/auto';
