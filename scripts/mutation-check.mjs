#!/usr/bin/env node
/**
 * Mutation check of the core (issue 23): each mutant in scripts/mutants.mjs is a deliberate, plausible bug in a
 * core module (bounds, splits, split members, CSV, dedupe, near copies, the attack loop). For each one this
 * script copies the working tree into a temporary sandbox (never touching the real files), applies the mutant
 * there, runs the unit tests that cover the module and expects them to FAIL. A mutant whose tests still pass
 * "survived": the tests would not notice that bug. Prints each mutant's fate and the kill rate, and exits
 * non-zero when the rate is under the target or a mutant no longer applies (its code changed: update the list).
 *
 *   node scripts/mutation-check.mjs            # all mutants
 *   node scripts/mutation-check.mjs csv dedupe # only mutants whose id starts with one of these
 *
 * Hand-made mutants rather than StrykerJS: a few dozen targeted bugs in the modules that decide what is trained,
 * tested and written run in minutes on CI's two cores, where Stryker's hundreds of generated mutants would not.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { MUTANTS, TARGET_KILL_RATE } from './mutants.mjs';

const root = resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const chosen = only.length ? MUTANTS.filter((m) => only.some((p) => m.id.startsWith(p))) : MUTANTS;

/** A copy of the working tree's tracked and untracked (not ignored) files, node_modules linked. */
function makeSandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'mutants-'));
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter((f) => f && f !== 'node_modules')) {
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    try {
      cpSync(join(root, file), to);
    } catch (err) {
      if (err.code !== 'ENOENT') throw err; // deleted in the working tree but not yet in git
    }
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'));
  return dir;
}

const sandbox = makeSandbox();
const cleanup = () => rmSync(sandbox, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

let killed = 0;
let stale = 0;
const survivors = [];
const started = Date.now();
try {
  // The tests must pass on the unmutated code first, or every mutant would look killed.
  const files = [...new Set(chosen.flatMap((m) => m.tests))];
  const clean = spawnSync('npx', ['vitest', 'run', ...files], { cwd: sandbox, encoding: 'utf8' });
  if (clean.status !== 0) {
    console.error(clean.stdout.slice(-4000), clean.stderr.slice(-2000));
    throw new Error('mutation check: the covering tests fail on the unmutated code; fix them first');
  }
  for (const m of chosen) {
    const path = join(sandbox, m.file);
    const original = readFileSync(path, 'utf8');
    const count = original.split(m.find).length - 1;
    if (count !== 1) {
      stale++;
      console.log(`STALE    ${m.id}: "${m.find}" occurs ${count} times in ${m.file} (expected once)`);
      continue;
    }
    writeFileSync(path, original.replace(m.find, m.replace));
    const t0 = Date.now();
    const run = spawnSync('npx', ['vitest', 'run', '--bail=1', ...m.tests], { cwd: sandbox, encoding: 'utf8' });
    writeFileSync(path, original);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (run.status !== 0) {
      killed++;
      console.log(`killed   ${m.id} (${secs} s): ${m.why}`);
    } else {
      survivors.push(m);
      console.log(`SURVIVED ${m.id} (${secs} s): ${m.why} — ${m.tests.join(' ')} still pass`);
    }
  }
} finally {
  cleanup();
}

const tried = chosen.length - stale;
const rate = tried ? killed / tried : 0;
console.log(
  `\nmutation check: ${killed} of ${tried} mutants killed (${(rate * 100).toFixed(0)} %, target ≥ ${TARGET_KILL_RATE * 100} %)` +
    `${stale ? `, ${stale} stale` : ''}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
if (survivors.length) console.log(`survivors: ${survivors.map((m) => m.id).join(', ')}`);
if (stale || rate < TARGET_KILL_RATE) process.exit(1);
