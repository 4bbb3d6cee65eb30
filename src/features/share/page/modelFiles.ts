/**
 * Picks model.json and its weight files out of a file selection and joins the weights in the order the
 * manifest lists them (Keras' converter shards large models into group1-shard1ofN.bin …).
 */
import { concatBytes } from '../../../shared/bytes';
import { manifestPaths } from '../../../shared/modelFile';

/** The Keras model file of a selection (`.keras` zip or legacy `.h5`), if there is one. */
export function kerasFileOf(files: File[]): File | undefined {
  return files.find((f) => /\.(keras|h5|hdf5)$/i.test(f.name));
}

export async function readModelSelection(
  files: File[],
): Promise<{ name: string; modelJson: string; weights: Uint8Array }> {
  const jsonFile = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (!jsonFile) throw new Error('Select the model.json file together with its weights (.bin) file(s).');
  const modelJson = await jsonFile.text();
  const paths = manifestPaths(modelJson);
  // Malformed JSON: let the worker's validator report it with its message.
  if (!paths) return { name: jsonFile.name, modelJson, weights: new Uint8Array(0) };
  const parts: Uint8Array[] = [];
  for (const path of paths) {
    const base = path.split('/').pop()!;
    const file =
      files.find((f) => f.name === base) ?? (paths.length === 1 ? files.find((f) => f !== jsonFile) : undefined);
    if (!file) throw new Error(`The weights file “${base}” named in ${jsonFile.name} was not selected.`);
    parts.push(new Uint8Array(await file.arrayBuffer()));
  }
  return { name: jsonFile.name, modelJson, weights: concatBytes(parts) };
}
