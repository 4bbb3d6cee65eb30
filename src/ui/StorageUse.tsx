/** How much this browser lets the app store, how much is used, and whether it is protected from eviction. */
import { useEffect, useState } from 'react';

export function StorageUse({ refreshKey }: { refreshKey: unknown }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      if (!navigator.storage?.estimate) return;
      const { usage = 0, quota = 0 } = await navigator.storage.estimate();
      const persisted = (await navigator.storage.persisted?.()) ?? false;
      const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
      if (live) {
        setText(
          `Storage: ${mb(usage)} used of ${mb(quota)} available to this app · ${persisted ? 'protected from automatic eviction' : 'may be evicted by the browser when the disk is full (asked for protection once a dataset is large)'}`,
        );
      }
    })();
    return () => {
      live = false;
    };
  }, [refreshKey]);
  return text ? (
    <p className="card" data-testid="storage-use">
      {text}
    </p>
  ) : null;
}
