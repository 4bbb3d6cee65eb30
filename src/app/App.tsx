/** The shell: the guided path between the pages (hash routes), the backend badge, error boundary. */
import { Component, useEffect, useState, type ReactNode, useRef } from 'react';
import { DataPage } from '../features/data/page/DataPage';
import { FoolPage } from '../features/fool/page/FoolPage';
import { SharePage } from '../features/share/page/SharePage';
import { SurveyPage } from '../features/survey/page/SurveyPage';
import { SeePage } from '../features/see/page/SeePage';
import { TrainPage } from '../features/train/page/TrainPage';
import { onDatabaseOutdated } from '../db/open';
import { RecoveryBanner } from './RecoveryBanner';
import { BackendBadge } from './BackendBadge';
import { StepNav } from './StepNav';
import { Toasts } from '../ui/Toasts';

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
      A newer version of Lookalike Lab, open in another tab, has updated this browser&apos;s storage (schema{' '}
      {newVersion}). Reload this tab to go on; nothing stored is lost.{' '}
      <button onClick={() => location.reload()}>Reload</button>
    </div>
  );
}

export function App() {
  const [page, setPage] = useState<Page>(pageFromHash);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // A new page starts at its top: the window's scroll would otherwise stay where the last page was left. Only a
  // change of page: a page's own hash updates (See's tab, Train's settings) keep the place.
  const shownPage = useRef(page);
  useEffect(() => {
    if (shownPage.current === page) return;
    shownPage.current = page;
    window.scrollTo(0, 0);
  }, [page]);
  return (
    <>
      <header>
        <h1>Lookalike Lab</h1>
        <StepNav pages={PAGES} current={page} />
        <BackendBadge />
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
      <Toasts />
    </>
  );
}
