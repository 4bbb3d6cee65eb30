/**
 * Photo-folder labelling, pure and thread-neutral: given the relative paths of the files the user picked or
 * dropped (`root/alice/img1.jpg`, as `webkitRelativePath` gives them), decide each file's class the way
 * Keras' `image_dataset_from_directory` does: the first level of sub-folders under the root are the classes,
 * files deeper down belong to their first-level folder. A first-level folder named `validation` holds a
 * separate validation set with its own class folders (`root/validation/<class>/…`).
 */

export type PathLabel =
  | { ok: true; className: string; isValidation: boolean }
  | { ok: false; reason: string; /** e.g. .DS_Store: not worth a line in the report */ silent?: boolean };

const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

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
  if (parts[1].toLowerCase() === 'validation') {
    if (parts.length < 4) return { ok: false, reason: 'in validation/ but not in a class sub-folder' };
    return { ok: true, className: parts[2], isValidation: true };
  }
  return { ok: true, className: parts[1], isValidation: false };
}

export interface LabelledFolder<T> {
  /** Sorted alphabetically, as Keras does; label i is classNames[i]. */
  classNames: string[];
  items: Array<{ item: T; path: string; label: number; isValidation: boolean }>;
  skipped: Array<{ path: string; reason: string }>;
  /** The root folder's name (first path segment), when all paths share one. */
  root: string | null;
}

export function labelFolder<T>(entries: Array<{ item: T; path: string }>): LabelledFolder<T> {
  const labelled: Array<{ item: T; path: string; className: string; isValidation: boolean }> = [];
  const skipped: LabelledFolder<T>['skipped'] = [];
  const roots = new Set<string>();
  for (const { item, path } of entries) {
    roots.add(pathSegments(path)[0] ?? '');
    const l = labelPath(path);
    if (l.ok) labelled.push({ item, path, className: l.className, isValidation: l.isValidation });
    else if (!l.silent) skipped.push({ path, reason: l.reason });
  }
  const classNames = [...new Set(labelled.map((l) => l.className))].sort();
  const index = new Map(classNames.map((c, i) => [c, i]));
  return {
    classNames,
    items: labelled.map((l) => ({ item: l.item, path: l.path, label: index.get(l.className)!, isValidation: l.isValidation })),
    skipped,
    root: roots.size === 1 ? [...roots][0] : null,
  };
}
