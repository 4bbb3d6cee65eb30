/**
 * Turns a drop of folders into files with relative paths like `webkitRelativePath` (`root/class/file`).
 * `collectDropEntries` must run synchronously inside the drop handler (the DataTransfer is emptied once the
 * handler returns); `walkEntries` then reads the directories, calling readEntries() until it returns [].
 */

export function collectDropEntries(dt: DataTransfer): FileSystemEntry[] {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry);
  }
  return entries;
}

const readBatch = (reader: FileSystemDirectoryReader) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function walk(entry: FileSystemEntry, prefix: string, out: Array<{ file: File; path: string }>): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), path });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most ~100 entries per call: keep reading until it returns an empty batch.
    for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
      for (const child of batch) await walk(child, path, out);
    }
  }
}

/**
 * One dropped folder is the root (its sub-folders are the classes). Several dropped items are treated as
 * the contents of a root folder named `drop` (so dropping the class folders themselves also works).
 */
export async function walkEntries(entries: FileSystemEntry[]): Promise<Array<{ file: File; path: string }>> {
  const out: Array<{ file: File; path: string }> = [];
  const single = entries.length === 1 && entries[0].isDirectory;
  for (const entry of entries) await walk(entry, single ? '' : 'drop', out);
  return out;
}
