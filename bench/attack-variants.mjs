#!/usr/bin/env node
/**
 * `node bench/attack-variants.mjs`: the attack comparison of docs/attack-comparison.md (issue #16 item 5). Trains
 * a compact model in Node on wasm on 25 + 25 real-photo face crops (Collins vs Hopper, the real-photo fixture's
 * people; src/test/realPhotoFaces.ts) and attacks its correctly classified test faces with every variant of the
 * paper attack on the same model and faces (src/features/fool/worker/attackVariants.experiment.ts). Prints the markdown
 * table and writes bench/results/attack-variants-<host>-<date>.json. Environment passes through:
 *   EPOCHS=20 TRAIN=25 TEST_PER=15 MSEED=1 VARIANTS=0,8,... PEOPLE=astronaut-cameraman FACES=dir
 * Several minutes per variant on 2 cores (each face not fooled runs every step).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';

const date = new Date().toISOString().slice(0, 10);
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/attack-variants-${hostname()}-${date}.json`;
const env = {
  ...process.env,
  EXPERIMENT: '1',
  OUT: out,
  EPOCHS: process.env.EPOCHS ?? '20',
  TEST_PER: process.env.TEST_PER ?? '15',
};
const r = spawnSync('npx', ['vitest', 'run', 'src/features/fool/worker/attackVariants.experiment.ts'], {
  env,
  stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);
const res = JSON.parse(readFileSync(out, 'utf8'));
console.log(
  `\nwrote ${out}: ${res.images} correctly classified test faces (test accuracy ${(res.accuracy * 100).toFixed(1)} %)\n`,
);
console.log(
  '| variant | reading | fooled (≥ 90 %, saved 8-bit) | flipped only | not flipped | mean steps (fooled) | mean p(target) | max L∞ (levels) |',
);
console.log('|---|---|---|---|---|---|---|---|');
const pc = (x) => `${(x * 100).toFixed(0)} %`;
for (const row of res.rows)
  console.log(
    `| ${row.variant} | ${row.reading} | ${pc(row.fooled)} | ${pc(row.flipped)} | ${pc(row.notFlipped)} | ${row.meanSteps == null ? '–' : row.meanSteps.toFixed(1)} | ${pc(row.meanTarget)} | ${row.linf} |`,
  );
