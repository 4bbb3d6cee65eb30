/**
 * Photo-folder labelling, pure and thread-neutral: given the relative paths of the files the user picked or
 * dropped (`root/alice/img1.jpg`, as `webkitRelativePath` gives them), decide each file's class the way
 * Keras' `image_dataset_from_directory` does: the first level of sub-folders under the root are the classes,
 * files deeper down belong to their first-level folder. A first-level folder named `validation` holds a
 * separate validation set with its own class folders (`root/validation/<class>/…`). With a split level
 * (`root/train/<class>/…`, `root/test/<class>/…`, `root/validation/<class>/…` or `val/`) the class is the
 * second level; a folder that mixes class folders and train/ or test/ is refused as a whole (labelFolder).
 */
import type { SplitName } from '../../../shared/protocol';

export type PathLabel =
  /** `split`: the split folder the file lies in (null: a plain class folder, split by the app). */
  | { ok: true; className: string; isValidation: boolean; split: SplitName | null }
  | { ok: false; reason: string; /** e.g. .DS_Store: not worth a line in the report */ silent?: boolean };

const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

/** First-level folder names read as a split level, lower-cased (Keras users write `val/` as often as `validation/`). */
export const SPLIT_FOLDERS: Readonly<Record<string, SplitName>> = {
  train: 'train',
  test: 'test',
  validation: 'validation',
  val: 'validation',
};

/** Splits a path on `/` (and `\`), dropping empty segments such as a leading slash. */
export function pathSegments(path: string): string[] {
  return path.split(/[/\\]+/).filter((s) => s.length > 0);
}

export function labelPath(path: string): PathLabel {
  const parts = pathSegments(path);
  const name = parts[parts.length - 1] ?? '';
  if (name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase()) || parts.some((p) => p.startsWith('.'))) {
    return { ok: false, reason: 'hidden or system file', silent: true };
  }
  // parts: [root, class, …, file]
  if (parts.length < 3) return { ok: false, reason: 'not in a class sub-folder' };
  const split = Object.hasOwn(SPLIT_FOLDERS, parts[1].toLowerCase()) ? SPLIT_FOLDERS[parts[1].toLowerCase()] : null;
  if (split) {
    if (parts.length < 4) return { ok: false, reason: `in ${parts[1]}/ but not in a class sub-folder` };
    return { ok: true, className: parts[2], isValidation: split === 'validation', split };
  }
  return { ok: true, className: parts[1], isValidation: false, split: null };
}

export interface LabelledFolder<T> {
  /** Sorted alphabetically, as Keras does; label i is classNames[i]. */
  classNames: string[];
  items: Array<{ item: T; path: string; label: number; isValidation: boolean; split: SplitName | null }>;
  skipped: Array<{ path: string; reason: string }>;
  /** Whether the folder has a train/ or test/ level (then the app keeps that split). */
  splitLevel: boolean;
  /** Why the folder cannot be read as one dataset (e.g. class folders beside train/), or null. */
  refused: string | null;
  /** The root folder's name (first path segment), when all paths share one. */
  root: string | null;
}

export function labelFolder<T>(entries: Array<{ item: T; path: string }>): LabelledFolder<T> {
  const labelled: Array<{ item: T; path: string; className: string; isValidation: boolean; split: SplitName | null }> =
    [];
  const skipped: LabelledFolder<T>['skipped'] = [];
  const roots = new Set<string>();
  for (const { item, path } of entries) {
    roots.add(pathSegments(path)[0] ?? '');
    const l = labelPath(path);
    if (l.ok) labelled.push({ item, path, className: l.className, isValidation: l.isValidation, split: l.split });
    else if (!l.silent) skipped.push({ path, reason: l.reason });
  }
  const classNames = [...new Set(labelled.map((l) => l.className))].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return {
    classNames,
    items: labelled.map((l) => ({
      item: l.item,
      path: l.path,
      label: index.get(l.className)!,
      isValidation: l.isValidation,
      split: l.split,
    })),
    skipped,
    root: roots.size === 1 ? [...roots][0] : null,
    splitLevel: labelled.some((l) => l.split === 'train' || l.split === 'test'),
    refused: mixedLayout(labelled),
  };
}

/**
 * A folder with both a split level (train/ or test/) and plain class folders has no one reading: is `bob/`
 * a class beside the split, or a stray? Refused rather than guessed. (`validation/` beside class folders is
 * the app's own layout and fine.)
 */
function mixedLayout(labelled: ReadonlyArray<{ path: string; split: SplitName | null }>): string | null {
  const split = labelled.find((l) => l.split === 'train' || l.split === 'test');
  const plain = labelled.find((l) => l.split === null);
  if (!split || !plain) return null;
  const [, splitFolder] = pathSegments(split.path);
  const [, classFolder] = pathSegments(plain.path);
  return `The folder mixes a split level (${splitFolder}/<class>/…) with class folders beside it (${classFolder}/…); use one layout: <class>/… or train/<class>/… and test/<class>/….`;
}
