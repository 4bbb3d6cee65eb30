/**
 * The selected dataset's split as stored, re-read whenever the store's lists change (a review decision, a
 * re-split or a new ingest calls refreshLists). Every page that shows counts reads them through this hook, and
 * the counts come from db/datasets' countSplit, so Data, Train, Fool and Evaluate agree (issue 16).
 */
import { useEffect, useState } from 'react';
import { EXCLUDED, splitOf, type SplitRecord } from '../../../store/records';
import { useLab } from '../../../store/labStore';

export function useSplit(datasetId: string | null | undefined): SplitRecord | null {
  const datasets = useLab((s) => s.datasets);
  const [split, setSplit] = useState<SplitRecord | null>(null);
  useEffect(() => {
    let live = true;
    if (!datasetId) {
      setSplit(null);
      return;
    }
    void splitOf(datasetId).then((s) => live && setSplit(s ?? null));
    return () => {
      live = false;
    };
  }, [datasetId, datasets]);
  return split;
}

/** "47 faces in use: train 38 · test 9 · validation 0 (3 left out: 1 rejected, 2 duplicates)". */
export function splitCountsLine(split: SplitRecord): string {
  const { train, test, validation } = split.counts;
  let rejected = 0;
  let duplicates = 0;
  split.excluded?.forEach((e) => {
    if (e === EXCLUDED.rejected) rejected++;
    else if (e === EXCLUDED.duplicate) duplicates++;
  });
  const out = rejected + duplicates;
  const left =
    out > 0 ? ` (${out} left out: ${rejected} rejected, ${duplicates} duplicate${duplicates === 1 ? '' : 's'})` : '';
  return `${train + test + validation} faces in use: train ${train} · test ${test} · validation ${validation}${left}`;
}
