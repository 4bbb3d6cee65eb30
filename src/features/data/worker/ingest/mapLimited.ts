/**
 * The ingest worker's bounded decodes (dataset zips and as-is crop imports): `f` over `items` with at most `limit`
 * calls pending, results in order. The first failure stops new calls (the ones running finish) and is thrown, so a
 * zip full of bad images is refused after the first, not the last, and a Cancel (a throw) starts nothing more.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  f: (item: T, k: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) {
      const k = next++;
      try {
        out[k] = await f(items[k], k);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failure) throw failure.reason;
  return out;
}
