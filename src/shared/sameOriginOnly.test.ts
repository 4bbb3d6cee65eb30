import { describe, expect, it } from 'vitest';
import { isSameOrigin, sameOriginOnly } from './sameOriginOnly';

const location = { href: 'https://lab.example/app/assets/lab.worker.js', origin: 'https://lab.example' };

describe('sameOriginOnly', () => {
  it('lets same-origin, relative, blob: and data: URLs through and refuses every other origin', async () => {
    const sent: string[] = [];
    const scope = {
      location,
      fetch: (async (input: RequestInfo | URL) => {
        sent.push(String(input));
        return new Response('ok');
      }) as typeof fetch,
      importScripts: (...urls: string[]) => sent.push(...urls),
      WebSocket: class {},
    };
    sameOriginOnly(scope);
    await scope.fetch('../vendor/mediapipe/vision_wasm_internal.wasm');
    await scope.fetch('https://lab.example/demo/model.json');
    await scope.fetch('blob:https://lab.example/1234');
    await expect(scope.fetch('https://play.googleapis.com/log')).rejects.toThrow('Blocked');
    await expect(scope.fetch(new URL('https://cdn.jsdelivr.net/x.wasm'))).rejects.toThrow('Blocked');
    expect(() => scope.importScripts('https://evil.example/a.js')).toThrow('Blocked');
    expect(() => new (scope.WebSocket as new (u: string) => unknown)('wss://evil.example')).toThrow('Blocked');
    scope.importScripts('./local.js');
    expect(sent).toEqual([
      '../vendor/mediapipe/vision_wasm_internal.wasm',
      'https://lab.example/demo/model.json',
      'blob:https://lab.example/1234',
      './local.js',
    ]);
    expect(isSameOrigin('http://lab.example/', location)).toBe(false); // another scheme is another origin
  });
});
