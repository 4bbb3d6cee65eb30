/**
 * The layout of a zip without the app's manifest.json, read from its entry names only (nothing inflated): the
 * folders Keras' `image_dataset_from_directory` reads — `<class>/<image>`, or with a split level
 * `train/<class>/…`, `test/<class>/…`, `validation/<class>/…` (or `val/`) — possibly inside one top folder
 * (a zip of the folder rather than of its contents). Classes are the folder names sorted, as Keras numbers
 * them. The rules for a path are the photo folder's (shared/photoFolder.ts), so a zip and the same folder
 * picked or dropped give the same classes and splits.
 */
import { IMAGE_FILE } from '../../shared/datasetZip';
import type { IngestReportLine } from '../../shared/ingestProtocol';
import { labelFolder, pathSegments, SPLIT_FOLDERS } from '../../shared/photoFolder';
import type { SplitName } from '../../../../shared/protocol';

/** Files zip tools add that are no part of the dataset: skipped without a report line. */
export const TOOL_LITTER = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/;
const MAX_REPORT_LINES = 100;

export interface PlainLayoutItem {
  /** The zip entry's name. */
  entry: string;
  /** The path stored as the crop's source: the entry under the layout's root folder (`<root>/<class>/…`). */
  source: string;
  label: number;
  /** The split folder it lies in; null where the app splits. */
  split: SplitName | null;
}

export interface PlainLayout {
  /** The top folder of the zip, or the zip's own name when it has none. */
  root: string;
  classNames: string[];
  /** Whether train/ or test/ folders give the split. */
  splitLevel: boolean;
  items: PlainLayoutItem[];
  /** Entries left out, each with the reason (at most 100 lines and a count of the rest). */
  report: IngestReportLine[];
}

/**
 * Reads the layout, or throws an Error whose message says what layout was found and what is expected.
 * `zipName` (the file's name) names the root when the zip has no top folder.
 */
export function plainZipLayout(entryNames: readonly string[], zipName: string): PlainLayout {
  const files = entryNames.filter((n) => !n.endsWith('/') && !TOOL_LITTER.test(n));
  const firsts = new Set(files.map((n) => pathSegments(n)[0]));
  const [first] = firsts;
  // One top folder when everything shares one first folder that is not a split, and every image lies at least two
  // folders below it (a readme beside the class folders does not make the top folder a class).
  const topFolder =
    firsts.size === 1 &&
    !Object.hasOwn(SPLIT_FOLDERS, first.toLowerCase()) &&
    files.every((n) => !IMAGE_FILE.test(n) || pathSegments(n).length >= 3)
      ? first
      : null;
  const root =
    topFolder ??
    (zipName
      .replace(/\.zip$/i, '')
      .replace(/[/\\]/g, '_')
      .replace(/^\.+/, '') ||
      'zip');
  const sourceOf = (name: string) => (topFolder ? name : `${root}/${name}`);

  const report: IngestReportLine[] = [];
  const images: Array<{ item: string; path: string }> = [];
  for (const name of files) {
    if (IMAGE_FILE.test(name)) images.push({ item: name, path: sourceOf(name) });
    else if (!pathSegments(name).some((s) => s.startsWith('.')))
      report.push({ file: name, reason: 'not an image (png, jpg, webp, bmp or gif); ignored' });
  }
  const folder = labelFolder(images);
  if (folder.refused) throw new Error(folder.refused);
  const entryOf = new Map(images.map((i) => [i.path, i.item]));
  for (const s of folder.skipped) report.push({ file: entryOf.get(s.path) ?? s.path, reason: `${s.reason}; ignored` });
  if (folder.items.length === 0) {
    const atTop = images.filter((i) => pathSegments(i.item).length === 1 + (topFolder ? 1 : 0)).length;
    throw new Error(
      'The zip has no manifest.json and no images in class folders' +
        (atTop > 0
          ? ` (${atTop} images lie directly at its top, outside any class folder)`
          : images.length === 0
            ? ' (no png, jpg, webp, bmp or gif at all)'
            : '') +
        '. A plain dataset zip holds one folder per class (<class>/<image>), or train/<class>/… and test/<class>/….',
    );
  }
  if (folder.classNames.length < 2) {
    // Most likely a zip of one folder of images (Keras would read one class): nothing a classifier can learn.
    throw new Error(
      `The zip has no manifest.json and its images lie in one class folder (${folder.classNames[0]}/); a dataset needs one folder per class, at least two (<class>/<image>, or train/<class>/… and test/<class>/…).`,
    );
  }
  const shown = report.slice(0, MAX_REPORT_LINES);
  if (report.length > MAX_REPORT_LINES)
    shown.push({ file: '…', reason: `${report.length - MAX_REPORT_LINES} more files ignored` });
  return {
    root,
    classNames: folder.classNames,
    splitLevel: folder.splitLevel,
    items: folder.items.map((i) => ({ entry: i.item, source: i.path, label: i.label, split: i.split })),
    report: shown,
  };
}

/** Images per class and per split folder (`unsplit`: the app splits them), for the page to show before importing. */
export function layoutCounts(layout: PlainLayout): {
  perClass: number[];
  perSplit: Record<SplitName | 'unsplit', number>;
} {
  const perClass = layout.classNames.map(() => 0);
  const perSplit = { train: 0, test: 0, validation: 0, unsplit: 0 };
  for (const i of layout.items) {
    perClass[i.label]++;
    perSplit[i.split ?? 'unsplit']++;
  }
  return { perClass, perSplit };
}
