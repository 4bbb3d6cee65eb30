/**
 * Writes the real-photo fixture set (two public-domain people, ~25 photos each plus 2 broken files each; see
 * e2e/fixtures/realPhotoSet.ts and e2e/fixtures/README.md) as `<outDir>/<person>/<file>`.
 *
 *   npx tsx scripts/real-photo-set.ts <outDir> [--per-class N] [--seed S]
 */
import { resolve } from 'node:path';
import { writeRealPhotoFolder } from '../e2e/fixtures/realPhotoSet';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(args[i + 1]);
  args.splice(i, 2);
  return value;
};
const perClass = flag('--per-class');
const seed = flag('--seed');
if (args.length !== 1) {
  console.error('usage: npx tsx scripts/real-photo-set.ts <outDir> [--per-class N] [--seed S]');
  process.exit(2);
}
const dir = resolve(args[0]);
const started = Date.now();
const set = await writeRealPhotoFolder(dir, { perClass, seed });
for (const cls of set.classNames) {
  const n = set.good.filter((f) => f.startsWith(`${cls}/`)).length;
  const s = set.sourcesPerClass[cls].map((x) => `${x.person} (${x.debianPackage}: ${x.file})`).join('; ');
  console.log(`${cls}: ${n} photos + ${set.broken.filter((f) => f.startsWith(`${cls}/`)).length} broken, from ${s}`);
}
if (process.env.VERBOSE) for (const [f, r] of Object.entries(set.recipes)) console.log(`  ${f}: ${r}`);
console.log(`wrote ${set.files.length} files under ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
