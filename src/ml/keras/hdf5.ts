/**
 * HDF5 in memory through h5wasm (the HDF5 C library compiled to wasm; its wasm is embedded in the module, so it
 * is served from our own origin like any script). Loaded on first use only: 4 MB that a session without Keras
 * files never fetches. Files live in h5wasm's in-memory file system for the duration of one call.
 */
import type * as H5Module from 'h5wasm';
import type { Dataset, File as H5File, Group } from 'h5wasm';

type H5 = typeof H5Module;
let loading: Promise<{ h5: H5; fs: NonNullable<H5['FS']> }> | null = null;
let counter = 0;

async function h5wasm() {
  loading ??= import('h5wasm').then(async (h5) => {
    const module = await h5.ready;
    return { h5, fs: module.FS };
  });
  return loading;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the bytes start with HDF5's signature (Keras and h5py write it at offset 0). */
export function isHdf5(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Opens `bytes` read-only and hands the file to `read`; the file is closed and removed afterwards. */
export async function readHdf5<T>(bytes: Uint8Array, what: string, read: (file: H5File) => T): Promise<T> {
  // Checked first: HDF5 prints its own error stack to the console for a file it cannot open.
  if (!isHdf5(bytes)) throw new Error(`${what} is not an HDF5 file.`);
  const { h5, fs } = await h5wasm();
  const path = `/read-${++counter}.h5`;
  fs.writeFile(path, bytes);
  let file: H5File | null = null;
  try {
    file = new h5.File(path, 'r');
    return read(file);
  } finally {
    file?.close();
    fs.unlink(path);
  }
}

/** Creates an HDF5 file, lets `write` fill it, and returns its bytes. */
export async function writeHdf5(write: (file: H5File) => void): Promise<Uint8Array> {
  const { h5, fs } = await h5wasm();
  const path = `/write-${++counter}.h5`;
  try {
    const file = new h5.File(path, 'w');
    try {
      write(file);
    } finally {
      file.close();
    }
    return Uint8Array.from(fs.readFile(path));
  } finally {
    if (fs.analyzePath(path).exists) fs.unlink(path);
  }
}

/** The child group `name` of `group`, or null; never asks HDF5 for a missing path (it would log an error). */
export function childGroup(group: Group, name: string): Group | null {
  if (!group.keys().includes(name)) return null;
  const child = group.get(name);
  return child && 'create_group' in child ? child : null;
}

/** The group at a slash-separated path below `group`, walked one level at a time; null when any part is missing. */
export function groupAt(group: Group, path: string): Group | null {
  let g: Group | null = group;
  for (const part of path.split('/').filter(Boolean)) {
    g = g && childGroup(g, part);
  }
  return g;
}

/** The dataset at a slash-separated path below `group`, or null. */
export function datasetAt(group: Group, path: string): Dataset | null {
  const parts = path.split('/').filter(Boolean);
  const parent = groupAt(group, parts.slice(0, -1).join('/'));
  const name = parts[parts.length - 1];
  if (!parent || !name || !parent.keys().includes(name)) return null;
  const d = parent.get(name);
  return d && 'write_slice' in d ? d : null;
}

/** The group at `path`, creating each missing level (h5wasm does not create intermediate groups). */
export function makeGroups(group: Group, path: string): Group {
  let g = group;
  for (const part of path.split('/').filter(Boolean)) g = childGroup(g, part) ?? g.create_group(part);
  return g;
}

/** A string attribute's text (HDF5 strings arrive as text; a byte array is decoded as UTF-8). */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return null;
}

/** A list-of-strings attribute (`layer_names`, `weight_names`), also when Keras split it into `name0`, `name1`, …. */
export function stringListAttr(group: Group, name: string): string[] | null {
  const attrs = group.attrs;
  const one = (key: string): string[] | null => {
    const v = attrs[key]?.value;
    if (v === undefined || v === null) return null;
    if (ArrayBuffer.isView(v) && (v as ArrayLike<number>).length === 0) return []; // h5py writes [] as an empty float array
    const list = Array.isArray(v) ? v : [v];
    const texts = list.map(textOf);
    return texts.every((t): t is string => t !== null) ? texts : null;
  };
  if (name in attrs) return one(name);
  const out: string[] = [];
  for (let i = 0; `${name}${i}` in attrs; i++) {
    const part = one(`${name}${i}`);
    if (!part) return null;
    out.push(...part);
  }
  return `${name}0` in attrs ? out : null;
}
