/**
 * Structural JSON mutation for fast-check fuzz tests of file importers (model.json, survey kits): pick nodes of
 * a valid document by index and replace them with hostile values, delete them or duplicate array elements.
 * Mutating a valid file reaches the checks deep inside a parser, which random bytes never get past JSON.parse.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path (list of keys / indices) to a node of a JSON tree, the root included. */
export function jsonPaths(
  node: Json,
  at: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(node)) node.forEach((v, i) => jsonPaths(v, [...at, i], out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) jsonPaths(v, [...at, k], out);
  return out;
}

/** Values a hostile file would put anywhere: extremes of every JSON type, and look-alikes of valid ones. */
export const nastyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    false,
    0,
    -1,
    -0.5,
    1.5,
    1e9,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 53 + 2,
    1e308,
    -1e308,
    '',
    ' ',
    '64',
    'float16',
    'int32',
    'Lambda',
    'Sequential',
    'Model',
    '__proto__',
    'constructor',
    'toString',
    'pre',
    'post',
    'same',
    '<img src=x onerror=alert(1)>',
    [],
    {},
    [null],
    [1e9, 1e9],
    [-1],
    [64, 64, 3],
    [null, 64, 64, 3],
    [null, [64], '64', 3],
    { class_name: 'Lambda', config: {} },
    { scale: 2 },
    JSON.parse('{"__proto__": {"polluted": true}}') as Json, // an own key named __proto__, as JSON.parse makes it
  ),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

export interface JsonEdit {
  path: number;
  op: 'replace' | 'delete' | 'duplicate';
  value: Json;
}

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  path: fc.nat(),
  op: fc.constantFrom<JsonEdit['op']>('replace', 'replace', 'replace', 'delete', 'duplicate'),
  value: nastyJson,
});

/** Applies edits to a deep copy; each edit's path index is taken modulo the node count at that moment. */
export function mutateJson(json: Json, edits: readonly JsonEdit[]): Json {
  let root = structuredClone(json);
  for (const { path, op, value } of edits) {
    const all = jsonPaths(root);
    const at = all[path % all.length];
    if (at.length === 0) {
      if (op === 'replace') root = structuredClone(value);
      continue;
    }
    const parent = at.slice(0, -1).reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], root) as Record<
      string | number,
      Json
    >;
    const key = at[at.length - 1];
    if (op === 'replace') parent[key] = structuredClone(value);
    else if (Array.isArray(parent)) {
      if (op === 'delete') parent.splice(key as number, 1);
      else parent.splice(key as number, 0, structuredClone(parent[key as number]));
    } else if (op === 'delete') delete parent[key];
    else parent[key] = structuredClone(parent[key]);
  }
  return root;
}
