/**
 * Picks model.json and its weight files out of a file selection and joins the weights in the order the
 * manifest lists them (Keras' converter shards large models into group1-shard1ofN.bin …).
 */
export async function readModelSelection(files: File[]): Promise<{ name: string; modelJson: string; weights: Uint8Array }> {
  const jsonFile = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (!jsonFile) throw new Error('Select the model.json file together with its weights (.bin) file(s).');
  const modelJson = await jsonFile.text();
  let paths: string[] = [];
  try {
    const manifest = (JSON.parse(modelJson) as { weightsManifest?: Array<{ paths?: string[] }> }).weightsManifest ?? [];
    paths = manifest.flatMap((g) => g.paths ?? []);
  } catch {
    // Let the worker's validator report the malformed JSON with its message.
    return { name: jsonFile.name, modelJson, weights: new Uint8Array(0) };
  }
  const parts: Uint8Array[] = [];
  for (const path of paths) {
    const base = path.split('/').pop()!;
    const file = files.find((f) => f.name === base) ?? (paths.length === 1 ? files.find((f) => f !== jsonFile) : undefined);
    if (!file) throw new Error(`The weights file “${base}” named in ${jsonFile.name} was not selected.`);
    parts.push(new Uint8Array(await file.arrayBuffer()));
  }
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    weights.set(p, offset);
    offset += p.length;
  }
  return { name: jsonFile.name, modelJson, weights };
}
