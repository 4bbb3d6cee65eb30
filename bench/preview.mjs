/**
 * What every bench script shares: the built app served by `vite preview` on a free port (stopped in `finally`,
 * and on exit or Ctrl-C: it runs in its own process group, so the vite process npx starts goes with it),
 * Debian's headless Chromium launched by Playwright, the median/min/max rule, and the tab's peak memory.
 *
 *   await withPreview(async (base) => { const browser = await launchChromium(); … });
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromiumArgs.mjs';

export { CHROMIUM_ARGS };

export function requireDist() {
  if (!existsSync('dist/index.html')) {
    console.error('bench: no dist/ — run `npm run build` first');
    process.exit(1);
  }
}

/** A TCP port nobody listens on right now (other benches and test runs share this machine). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts `vite preview` on `port` (a free one if omitted), waits until it answers, returns { base, stop }. */
export async function startPreview(port) {
  port ??= await freePort();
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', stop);
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i >= 120 || server.exitCode !== null) {
      stop();
      throw new Error(`vite preview did not come up on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { base, port, stop };
}

/** Runs `work(base)` against a fresh preview server, which is stopped however `work` ends. */
export async function withPreview(work, port) {
  requireDist();
  const preview = await startPreview(port);
  try {
    return await work(preview.base);
  } finally {
    preview.stop();
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130)); // runs the 'exit' hooks

export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export const stats = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s[s.length - 1], runs: s.length };
};

/** pid → parent pid for every process in /proc. */
function parents() {
  const map = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(d), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  return map;
}

/** Pids of the Chromium processes this Node process started (its descendants named chrom*). */
export function chromiumPids() {
  const ppid = parents();
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of ppid) {
      if (!mine.has(pid) && mine.has(parent)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  mine.delete(process.pid);
  return [...mine].filter((pid) => {
    try {
      return /^Name:\s*chrom/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false; // exited meanwhile
    }
  });
}

/**
 * Total resident set (MB) of the Chromium processes this Node process started (its descendants named chrom*;
 * other agents' browsers on the machine are not counted). RSS counts shared pages once per process, so this
 * overstates the true footprint a little; it is what the OS charges the tab, its worker and the GPU process.
 */
export function chromiumRssMb() {
  return chromiumMemoryMb().rssMb;
}

/**
 * Resident set (VmRSS) and its anonymous + shared-memory part (RssAnon + RssShmem: heaps, decoded pixels, buffers
 * passed between processes; not the mapped library and binary files) of `pids`, summed, in MB. Both count a page
 * shared by two of our processes twice (an over-estimate), and neither moves when unrelated processes on the machine
 * start or exit (smaps_rollup's Pss and Private_* do: they split file pages with other browsers mapping the same libraries).
 */
export function chromiumMemoryMb(pids = chromiumPids()) {
  let rssKb = 0;
  let anonKb = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s*(\\d+)`, 'm'))?.[1] ?? 0);
      rssKb += kb('VmRSS');
      anonKb += kb('RssAnon') + kb('RssShmem');
    } catch {
      /* exited meanwhile */
    }
  }
  return { rssMb: rssKb / 1024, anonMb: anonKb / 1024 };
}

/** Samples chromiumRssMb() every `ms` while `work` runs: { result, peakMb }. */
export async function withPeakMemory(work, ms = 500) {
  let peakMb = chromiumRssMb();
  const timer = globalThis.setInterval(() => (peakMb = Math.max(peakMb, chromiumRssMb())), ms);
  try {
    const result = await work();
    return { result, peakMb: Math.max(peakMb, chromiumRssMb()) };
  } finally {
    globalThis.clearInterval(timer);
  }
}
