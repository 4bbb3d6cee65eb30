/** Bootstrap only: styles, the lab worker's first call, and the React root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/app.css';
import { detectFacesInBlob, lastFaceDetectionMs } from './bridge/faceBridge';
import { labBridge } from './bridge/labBridge';
import { initLab } from './store/actions';
import { useLab } from './store/labStore';
import { resumeStudyWhenReady } from './store/study';

// Read-only window into the store for e2e tests and `npm run bench` (serialisable snapshots only).
(window as unknown as { __lab: typeof useLab }).__lab = useLab;
(window as unknown as { __faces: object }).__faces = { detectFacesInBlob, lastFaceDetectionMs };
// The typed worker API, so e2e tests can classify an image they decoded themselves with the page's model.
(window as unknown as { __labBridge: typeof labBridge }).__labBridge = labBridge;

/** Set once this tab reloaded to come under the service worker's headers (never loops). */
const ISOLATION_RELOAD = 'lookalike-isolation-reload';

void initLab();
// A paper study left unfinished by a reload (or a closed tab) carries on once the lab worker is ready.
resumeStudyWhenReady();
// Offline after the first visit (production builds only; the dev server must always serve fresh files).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((err: unknown) => console.warn('offline cache unavailable:', err));
  // Tell the service worker which build this tab runs (this script's URL), so it keeps this build's files for as
  // long as the tab is open, across any number of deploys (scripts/sw-template.js; it also reads this from the
  // document it served, but a page loaded before it controlled the tab was not served by it).
  void navigator.serviceWorker.ready.then((r) =>
    r.active?.postMessage({ kind: 'client-build', entry: import.meta.url }),
  );
  // On a static host that sends no headers (GitHub Pages), cross-origin isolation comes from the headers the
  // service worker adds: once it controls this page, reload once so the page is served through it.
  if (!crossOriginIsolated) {
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (sessionStorage.getItem(ISOLATION_RELOAD)) return;
      sessionStorage.setItem(ISOLATION_RELOAD, '1');
      location.reload();
    });
  }
}
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
