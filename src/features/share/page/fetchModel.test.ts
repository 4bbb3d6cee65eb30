import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchHostedModel, hostedModelUrl } from './fetchModel';

const PAGE = 'https://lab.example/app/?model=x#/share';

function serve(files: Record<string, Uint8Array<ArrayBuffer> | string>, headers: Record<string, string> = {}) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: URL, init?: { signal?: AbortSignal }) => {
    calls.push(url.href);
    const body = files[url.pathname];
    if (body === undefined) return new Response('nope', { status: 404 });
    if (body === 'HANG') {
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    return new Response(body, { headers });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('hosted models (?model=)', () => {
  it('refuses another origin before any request, resolves relative URLs against the page', () => {
    expect(() => hostedModelUrl('https://evil.example/model.json', PAGE)).toThrow(
      /only loads models from its own site/,
    );
    expect(hostedModelUrl('models/a/model.json', PAGE).href).toBe('https://lab.example/app/models/a/model.json');
  });

  it('joins the weight shards in manifest order, relative to model.json', async () => {
    const json = JSON.stringify({ weightsManifest: [{ paths: ['s1.bin', 's2.bin'] }] });
    const calls = serve({
      '/m/model.json': json,
      '/m/s1.bin': new Uint8Array([1, 2]),
      '/m/s2.bin': new Uint8Array([3]),
    });
    const r = await fetchHostedModel(new URL('https://lab.example/m/model.json'));
    expect(Array.from(r.weights)).toEqual([1, 2, 3]);
    expect(calls).toEqual([
      'https://lab.example/m/model.json',
      'https://lab.example/m/s1.bin',
      'https://lab.example/m/s2.bin',
    ]);
  });

  it('stops oversized files, missing files and slow servers with clear messages', async () => {
    serve({ '/big.json': 'x' }, { 'content-length': String(50 * 1024 * 1024) });
    await expect(fetchHostedModel(new URL('https://lab.example/big.json'))).rejects.toThrow(
      '/big.json is 52.4 MB; the largest we accept is 5.2 MB (the size limit for this file).',
    );
    serve({});
    await expect(fetchHostedModel(new URL('https://lab.example/missing.json'))).rejects.toThrow(/HTTP 404/);
    serve({ '/slow.json': 'HANG' });
    await expect(fetchHostedModel(new URL('https://lab.example/slow.json'), 50)).rejects.toThrow(/longer than 0.05 s/);
  });

  it('stops reading weights at what model.json declares, not at the 400 MB ceiling (issue 18)', async () => {
    // 2 float32 weights of shape [2]: 16 bytes declared; the server streams 64 chunks of 64 kB.
    const json = JSON.stringify({
      weightsManifest: [
        {
          paths: ['w.bin'],
          weights: [
            { name: 'a', shape: [2], dtype: 'float32' },
            { name: 'b', shape: [2], dtype: 'float32' },
          ],
        },
      ],
    });
    let pulled = 0;
    vi.stubGlobal('fetch', async (url: URL) => {
      if (url.pathname === '/m/model.json') return new Response(json);
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (++pulled > 64) c.close();
          else c.enqueue(new Uint8Array(64 * 1024));
        },
      });
      return new Response(stream);
    });
    await expect(fetchHostedModel(new URL('https://lab.example/m/model.json'))).rejects.toThrow(
      '/m/w.bin is larger than 1.0 kB, the most we accept (model.json declares 16 bytes of weights); stopped reading.',
    );
    expect(pulled).toBeLessThan(4);
  });
});
