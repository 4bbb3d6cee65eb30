/**
 * The backend as a compact badge ("wasm · 2 threads", "WebGPU · Apple M2") that opens its details on click:
 * the full technical line (how it was chosen, timings, adapter, kernels) and the backend setting.
 *
 * The full line stays one live status named "Backend" whose text is the whole sentence ("Backend: wasm · 2
 * threads (fastest for …)"), always in the accessibility tree: screen readers hear it change, and the e2e reads
 * it. Collapsed, it is only visually hidden; expanded, it shows in the panel.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useLab, type LabState } from '../store/labStore';
import { backendFromUrl } from '../store/actions';
import { BACKENDS, type BackendName } from '../shared/backends';
import { PROBE_BATCH, backendSetting, describeTimings, setBackendSetting } from '../shared/backendChoice';
import { describeThreads } from '../shared/wasmThreads';

const DISPLAY: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'cpu' };

/** The badge's few words: the backend and what it runs on (GPU adapter, or wasm's threads). */
export function compactBackend(backend: LabState['backend']): string {
  if (backend.status === 'error') return 'No backend';
  if (backend.measuring) return 'Timing backends…';
  const info = backend.info;
  if (!info) return 'Starting…';
  const a = info.adapter;
  const on = a
    ? (a.description || [a.vendor, a.architecture].filter(Boolean).join(' ')) +
      (a.isFallbackAdapter ? ' (software)' : '')
    : '';
  return `${DISPLAY[info.name]}${on ? ` · ${on}` : ''}${describeThreads(info.threads, true)}`;
}

/** The full line, word for word what the header said before it became a badge (specs and users rely on it). */
export function fullBackendLine(backend: LabState['backend']): string {
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
    if (a)
      text += ` · GPU adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' ')}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
    if (backend.info.kernels) text += ` · ${backend.info.kernels.why}`;
  }
  return text;
}

export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // Escape or a click elsewhere closes the details, as a disclosure popover should; Escape puts focus back on
  // the badge (the setting it may have been on disappears with the panel).
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onClick = (e: MouseEvent) => root.current && !root.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);
  const refused = backend.info?.attempts.filter((t) => !t.ok) ?? [];
  const tone = backend.status === 'error' ? 'error' : backend.status === 'ready' ? 'ready' : 'busy';
  return (
    <div className="backend-badge" ref={root}>
      <button
        ref={button}
        type="button"
        className={`badge ${tone}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <span className="badge-dot" aria-hidden="true" />
        <span className="sr-only">Backend: </span>
        <span data-testid="badge-text">{compactBackend(backend)}</span>
        <span className="badge-caret" aria-hidden="true">
          {open ? '▴' : '▾'}
        </span>
      </button>
      <div id={panelId} className={open ? 'backend-details open' : 'backend-details'}>
        <p role="status" aria-label="Backend" className={open ? 'backend' : 'backend sr-only'}>
          {fullBackendLine(backend)}
        </p>
        {/* Why a backend was not used: plain text in the details (it was a hover-only title before). */}
        {open && refused.length > 0 && (
          <ul className="backend-refused" aria-label="Backends not used">
            {refused.map((r) => (
              <li key={r.name}>
                {r.name}: {r.error}
              </li>
            ))}
          </ul>
        )}
        {open && <BackendSetting />}
      </div>
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
