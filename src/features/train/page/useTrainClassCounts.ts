/**
 * Training images per class of the selected dataset, as the trainer will count them when a run starts
 * (db/datasets' splitClassCounts): the Train page shows the class weights they lead to. Re-read when the
 * split changes (review decisions, re-split).
 */
import { useEffect, useState } from 'react';
import { splitClassCounts, type SplitRecord } from '../../../store/records';

export function useTrainClassCounts(
  datasetId: string | undefined,
  numClasses: number,
  split: SplitRecord | null,
): number[] | null {
  const [counts, setCounts] = useState<number[] | null>(null);
  useEffect(() => {
    let live = true;
    setCounts(null);
    if (!datasetId || !split) return;
    void splitClassCounts(datasetId, split, 'train', numClasses)
      .then((c) => live && setCounts(c))
      .catch(() => live && setCounts(null)); // a dataset deleted meanwhile: nothing to show
    return () => {
      live = false;
    };
  }, [datasetId, numClasses, split]);
  return counts;
}
