/** The shell: navigation between capability pages (hash routes), backend status, error boundary. */
import { Component, useEffect, useState, type ReactNode } from 'react';
import { DataPage } from '../features/data/DataPage';
import { FoolPage } from '../features/fool/FoolPage';
import { SharePage } from '../features/share/SharePage';
import { SurveyPage } from '../features/survey/SurveyPage';
import { SeePage } from '../features/see/SeePage';
import { TrainPage } from '../features/train/TrainPage';
import { onDatabaseOutdated } from '../db/open';
import { RecoveryBanner } from './RecoveryBanner';
import { useLab } from '../store/labStore';
import { backendFromUrl } from '../store/actions';
import { BACKENDS, type BackendName } from '../shared/backends';
import { PROBE_BATCH, backendSetting, describeTimings, setBackendSetting } from '../shared/backendChoice';
import { describeThreads } from '../shared/wasmThreads';

export const PAGES = ['data', 'train', 'see', 'fool', 'survey', 'share'] as const;
type Page = (typeof PAGES)[number];

function pageFromHash(): Page {
  const h = location.hash.replace(/^#\/?/, '').split('?')[0];
  return (PAGES as readonly string[]).includes(h) ? (h as Page) : 'data';
}

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (this.state.error)
      return (
        <div role="alert" className="card">
          Something broke on this page: {this.state.error.message}. Your data in this browser is untouched.{' '}
          <button onClick={() => this.setState({ error: null })}>Try again</button>
        </div>
      );
    return this.props.children;
  }
}

/** Shown when another tab upgraded the database to a newer schema: this tab's code is out of date. */
function OutdatedBanner() {
  const [newVersion, setNewVersion] = useState<number | null>(null);
  useEffect(() => onDatabaseOutdated((v) => setNewVersion(v ?? 0)), []);
  if (newVersion === null) return null;
  return (
    <div role="alert" aria-label="Reload needed" className="card">
      A newer version of Lookalike Lab, open in another tab, has updated this browser&apos;s storage (schema {newVersion}).
      Reload this tab to go on; nothing stored is lost. <button onClick={() => location.reload()}>Reload</button>
    </div>
  );
}

function BackendStatus() {
  const backend = useLab((s) => s.backend);
  let text = 'Starting TensorFlow.js…';
  if (backend.measuring) {
    const m = backend.measuring;
    text = `Timing a ${m.preset} training step on each backend… ${describeTimings({ timings: m.timings, batchSize: PROBE_BATCH })}`;
  }
  if (backend.status === 'error') text = `No backend: ${backend.error}`;
  const choice = backend.info?.choice;
  if (backend.info) {
    const a = backend.info.adapter;
    const how = choice
      ? ` (fastest for ${choice.preset}, by measurement${choice.cached ? ', cached' : ''}: ${describeTimings(choice)}, batch ${choice.batchSize})`
      : backend.info.forced
        ? backendFromUrl()
          ? ' (forced)'
          : ' (your setting)'
        : '';
    text = `Backend: ${backend.info.name}${describeThreads(backend.info.threads, crossOriginIsolated)}${how}`;
    if (a) text += ` · GPU adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' ')}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
    if (backend.info.kernels) text += ` · ${backend.info.kernels.why}`;
  }
  const refused = backend.info?.attempts.filter((t) => !t.ok) ?? [];
  return (
    <div className="backend-bar">
      <p role="status" aria-label="Backend" className="backend" title={refused.map((r) => `${r.name}: ${r.error}`).join('\n')}>
        {text}
      </p>
      <BackendSetting />
    </div>
  );
}

/** The user's backend setting (overrides the measured choice; `?backend=` overrides both). Applies on reload. */
function BackendSetting() {
  const [value, setValue] = useState(() => backendSetting(localStorage, BACKENDS) ?? '');
  return (
    <label className="backend-setting">
      Backend setting{' '}
      <select
        value={value}
        onChange={(e) => {
          const next = (e.target.value || null) as BackendName | null;
          setBackendSetting(localStorage, next);
          setValue(next ?? '');
          location.reload();
        }}
      >
        <option value="">Fastest (measured)</option>
        {BACKENDS.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </select>
    </label>
  );
}

export function App() {
  const [page, setPage] = useState<Page>(pageFromHash);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <>
      <header>
        <h1>Lookalike Lab</h1>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a key={p} href={`#/${p}${location.search}`} aria-current={p === page ? 'page' : undefined}>
              {p[0].toUpperCase() + p.slice(1)}
            </a>
          ))}
        </nav>
        <BackendStatus />
      </header>
      <OutdatedBanner />
      <RecoveryBanner />
      <main>
        <ErrorBoundary>
          {page === 'data' && <DataPage />}
          {page === 'train' && <TrainPage />}
          {page === 'see' && <SeePage />}
          {page === 'fool' && <FoolPage />}
          {page === 'survey' && <SurveyPage />}
          {page === 'share' && <SharePage />}
        </ErrorBoundary>
      </main>
      <footer>Everything runs in this browser: your photos and models never leave this device.</footer>
    </>
  );
}
